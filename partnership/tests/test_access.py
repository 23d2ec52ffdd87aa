"""The user of each request is read with their organisation and roles (``access.load_user``
through ``MemberBackend``): one query, and a change counts from the very next request."""

from django.contrib.auth.models import Group
from django.urls import reverse

from partnership.access import COORDINATOR, STAFF, load_user, user_organisation, user_roles
from partnership.models import Membership

from .factories import UserFactory


def _sessions_url(agreement):
    return reverse("visits:session_list", args=[agreement.pk])


def test_user_organisation_and_roles_come_in_one_query(
    staff_user, association, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = load_user(staff_user.pk)
        assert user_organisation(user) == association
        assert user_roles(user) == {STAFF}


def test_a_user_with_both_roles_and_a_user_without_organisation(association, db):
    both = UserFactory(organisation=association)
    both.groups.add(*Group.objects.filter(name__in=[STAFF, COORDINATOR]))
    assert user_roles(load_user(both.pk)) == {STAFF, COORDINATOR}
    loner = load_user(UserFactory(organisation=None).pk)
    assert user_organisation(loner) is None and user_roles(loner) == set()
    assert load_user(10**9) is None


def test_a_role_taken_away_is_refused_at_the_next_request(staff_client, staff_user, agreement):
    assert staff_client.get(_sessions_url(agreement)).status_code == 200
    staff_user.groups.clear()
    assert staff_client.get(_sessions_url(agreement)).status_code == 403


def test_a_user_moved_to_another_organisation_no_longer_sees_the_agreement(
    staff_client, staff_user, agreement, other_agreement
):
    assert staff_client.get(_sessions_url(agreement)).status_code == 200
    other = other_agreement.parties.get(role="idea_driven").organisation
    Membership.objects.filter(user=staff_user).update(organisation=other)
    assert staff_client.get(_sessions_url(agreement)).status_code == 404
    assert staff_client.get(_sessions_url(other_agreement)).status_code == 200


def test_a_deactivated_user_is_logged_out_at_the_next_request(staff_client, staff_user, agreement):
    staff_user.is_active = False
    staff_user.save()
    response = staff_client.get(_sessions_url(agreement))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
