import pytest
from django.urls import reverse

from partnership.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_lists_only_own_agreements(staff_client, agreement, other_agreement):
    response = staff_client.get(reverse("home"))
    body = response.content.decode()
    assert agreement.title in body
    assert other_agreement.title not in body
    for party in agreement.parties.all():
        assert party.organisation.name in body
    for party in other_agreement.parties.all():
        assert party.organisation.name not in body
    # Period, next deadline and budget total.
    assert "2019-04-01 – 2020-12-31" in body
    assert "1\u00a0000\u00a0000\u00a0kr" in body


def test_home_for_a_user_without_organisation(client, db):
    user = UserFactory(organisation=None)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["agreements"] == []


def test_agreement_detail_scoped(staff_client, coordinator_client, outsider_client, agreement):
    url = reverse("partnership:agreement_detail", args=[agreement.pk])
    assert staff_client.get(url).status_code == 200
    assert coordinator_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    anonymous = staff_client.__class__().get(url)
    assert anonymous.status_code == 302


def test_member_without_role_is_refused(client, agreement, association):
    user = UserFactory(organisation=association)
    client.force_login(user)
    assert (
        client.get(reverse("partnership:agreement_detail", args=[agreement.pk])).status_code == 403
    )


def test_home_query_count_does_not_grow_with_agreements(
    staff_client, association, django_assert_max_num_queries
):
    from partnership.models import Party
    from partnership.tests.factories import AgreementFactory

    for _ in range(10):
        a = AgreementFactory()
        Party.objects.filter(agreement=a, role="idea_driven").update(organisation=association)
    # 9: one of them is the visits app's "count today" buttons (visits/_home.html).
    with django_assert_max_num_queries(9):
        response = staff_client.get(reverse("home"))
    assert len(response.context["agreements"]) == 11
    # Each agreement lists its own parties (read for all agreements in one query).
    for listed in response.context["agreements"]:
        assert [p.organisation.name for p in listed.party_list] == [
            p.organisation.name for p in listed.parties.order_by("order", "pk")
        ]


def test_healthz_is_public_and_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_swedish_is_the_default_and_english_available(staff_client, agreement):
    body = staff_client.get(reverse("home")).content.decode()
    assert 'lang="sv"' in body
    assert "Mina överenskommelser" in body
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = staff_client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body
    assert "My agreements" in body


def test_browser_language_does_not_override_swedish(staff_client, agreement):
    response = staff_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="sv"' in response.content.decode()
