"""The front page sorts by what needs action: "Waiting for you", then the deadlines still
open; approved reports go under "Earlier", never shown as overdue."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from icalendar import Calendar

from dialogue.models import ActionItem
from partnership.models import Funding
from reporting import services
from reporting.models import Report
from reporting.tests.factories import write_report

pytestmark = pytest.mark.django_db


def _waiting(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [item.text for item in response.context["waiting"]], response


def test_staff_see_overdue_and_returned_reports_and_commitments_without_follow_up(
    agreement, staff_client, staff_user, coordinator
):
    texts, _ = _waiting(staff_client)
    # The factory's agreement ended in 2020: both its reports are overdue today.
    assert "Försenad: Delredovisning, sista dag var 2019-08-31" in texts
    assert "1 åtagande utan uppföljning i delredovisning med sista dag 2019-08-31" in texts
    interim = Report.objects.get(agreement=agreement, deadline__kind="interim")
    write_report(interim)  # writes the follow-ups too
    services.submit_report(report=interim, user=staff_user)
    services.return_report(report=interim, user=coordinator, comment="Add June.")
    texts, _ = _waiting(staff_client)
    assert "Tillbakaskickad till er: Delredovisning, sista dag 2019-08-31" in texts
    assert not any(t.startswith("1 åtagande") and "2019-08-31" in t for t in texts)


def test_coordinators_see_what_to_review_and_not_the_staffs_work(
    agreement, staff_user, coordinator, coordinator_client
):
    texts, _ = _waiting(coordinator_client)
    assert not any(t.startswith("Försenad") for t in texts)
    interim = Report.objects.get(agreement=agreement, deadline__kind="interim")
    write_report(interim)
    services.submit_report(report=interim, user=staff_user)
    texts, response = _waiting(coordinator_client)
    assert "Att granska: Delredovisning, inlämnad" in texts
    item = next(i for i in response.context["waiting"] if i.text.startswith("Att granska"))
    assert item.url == interim.get_absolute_url()


def test_an_approved_report_leaves_the_open_deadlines_and_is_never_overdue(
    agreement, staff_user, coordinator, staff_client
):
    interim = Report.objects.get(agreement=agreement, deadline__kind="interim")
    write_report(interim)
    services.submit_report(report=interim, user=staff_user)
    services.approve_report(report=interim, user=coordinator)
    texts, response = _waiting(staff_client)
    assert not any("2019-08-31" in t for t in texts)
    assert interim.deadline not in response.context["overview"]
    assert [d.pk for d in response.context["approved"]] == [interim.deadline.pk]
    page = response.content.decode()
    assert "1 godkänd rapport" in page


def test_each_party_sees_its_own_open_action_items(
    agreement, staff_client, coordinator_client, outsider_client
):
    public = agreement.parties.get(role="public")
    idea = agreement.parties.get(role="idea_driven")
    ActionItem.objects.create(
        agreement=agreement, party=idea, text="Print the flyers", due_date=date(2019, 6, 1)
    )
    ActionItem.objects.create(agreement=agreement, party=public, text="Book the hall")
    ActionItem.objects.create(
        agreement=agreement, party=public, text="Done already", done_on=date(2019, 5, 1)
    )
    staff_texts, _ = _waiting(staff_client)
    coordinator_texts, _ = _waiting(coordinator_client)
    assert "Åtgärd: Print the flyers, senast 2019-06-01" in staff_texts
    assert "Åtgärd: Book the hall" in coordinator_texts
    assert not any("Book the hall" in t for t in staff_texts)
    assert not any("Print the flyers" in t or "Done already" in t for t in coordinator_texts)
    assert not any("flyers" in t or "hall" in t for t in _waiting(outsider_client)[0])


def test_coordinators_see_payments_behind_an_even_pace(agreement, coordinator_client):
    public = agreement.parties.get(role="public")
    Funding.objects.create(
        agreement=agreement, party=public, kind="cash", amount=Decimal("1000000")
    )
    texts, _ = _waiting(coordinator_client)  # the agreement has ended: all of it is due
    expected = "Utbetalningar: 1 000 000 kr efter jämn takt (0 kr utbetalt av 1 000 000 kr fram till i dag)"
    assert expected in [t.replace("\xa0", " ") for t in texts]
    agreement.payments.create(date=date(2019, 5, 1), amount=Decimal("1000000"))
    texts, _ = _waiting(coordinator_client)
    assert not any(t.startswith("Utbetalningar") for t in texts)


def test_the_front_page_reads_a_constant_number_of_queries(
    agreement, staff_client, django_assert_max_num_queries
):
    idea = agreement.parties.get(role="idea_driven")
    for n in range(10):
        ActionItem.objects.create(agreement=agreement, party=idea, text=f"Item {n}")
    with django_assert_max_num_queries(20):
        staff_client.get(reverse("home"))


def test_the_calendar_feed_carries_open_action_items(agreement, staff_user, client):
    idea = agreement.parties.get(role="idea_driven")
    ActionItem.objects.create(
        agreement=agreement, party=idea, text="Print the flyers", due_date=date(2019, 6, 1)
    )
    ActionItem.objects.create(agreement=agreement, party=idea, text="No date")
    ActionItem.objects.create(
        agreement=agreement,
        party=idea,
        text="Done",
        due_date=date(2019, 6, 2),
        done_on=date(2019, 6, 1),
    )
    token = services.regenerate_calendar_token(user=staff_user).token
    response = client.get(reverse("reporting:calendar_feed", args=[token]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    items = [e for e in events if str(e["UID"]).startswith("iop-action-item-")]
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in items] == [
        (date(2019, 6, 1), f"Åtgärd senast: Print the flyers ({agreement.short_name})")
    ]
    assert str(items[0]["URL"]).endswith(reverse("dialogue:meeting_list", args=[agreement.pk]))
