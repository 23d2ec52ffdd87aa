"""A wrong role is refused what DESIGN.md does not give it, whatever the URL.

DESIGN.md: staff (the association) log sessions, counts, activities and expenses and draft
and submit reports; coordinators (the municipality) register payments and approve, return or
reopen reports, and read everything. The rules below match URL names, so a new view of the
same kind (say ``payment_split``) is covered by the rule that names its kind.
"""

import re

import pytest
from django.test import Client

from tests.test_scoped_access import app_routes, snapshot

STAFF_REFUSED = (
    r"^finance:payment_(?!list|export)|^reporting:report_(approve|return|reopen)$"
    r"|^partnership:agreement_(activate|end|reopen|renew)$|^dialogue:agreement_extend$"
)
COORDINATOR_REFUSED = (
    r"^visits:(session_(create|edit|delete)|tally|tally_tap|today|today_choose"
    r"|activity_(create|edit|delete))$"
    r"|^finance:expense_(?!list|export)"
    r"|^finance:sie_(import|import_confirm|rule_(create|edit|delete))$"
    r"|^reporting:report_(edit|submit)$"
)
RULES = [("staff", STAFF_REFUSED), ("coordinator", COORDINATOR_REFUSED)]
# URL names each rule must find, so that a renamed view cannot slip out of its rule.
MUST_MATCH = {
    "staff": {
        "finance:payment_create",
        "reporting:report_approve",
        "partnership:agreement_activate",
        "partnership:agreement_renew",
        "dialogue:agreement_extend",
    },
    "coordinator": {
        "visits:session_create",
        "visits:tally_tap",
        "visits:activity_create",
        "finance:expense_create",
        "finance:expense_import",
        "finance:sie_import",
        "finance:sie_rule_edit",
        "reporting:report_submit",
    },
}


def refused_routes(role):
    pattern = dict(RULES)[role]
    return [r for r in app_routes() if r.name and re.search(pattern, r.name)]


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_the_rules_find_the_views_they_are_about(role):
    assert MUST_MATCH[role] <= {r.name for r in refused_routes(role)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_a_wrong_role_is_refused_and_changes_nothing(world, staff_user, coordinator, role):
    client = Client()
    client.force_login(staff_user if role == "staff" else coordinator)
    objects = world["objects_a"]
    before = snapshot()
    failures = []
    for route in refused_routes(role):
        url = objects.url_for(route)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            allowed = (403, 405) if method == "get" else (403,)
            if status not in allowed:
                failures.append(f"{method.upper()} {url} ({route}) as {role}: {status}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_member_without_a_role_sees_no_agreement(world, association):
    """Issue 17: a membership alone (no group staff or coordinator) shows nothing."""
    from partnership.tests.factories import UserFactory

    member = UserFactory(username="no-role", organisation=association)
    client = Client()
    client.force_login(member)
    body = client.get("/").content.decode()
    assert world["a"]["agreement"].title not in body
    assert "har ingen roll" in body  # and says why, in Swedish by default


@pytest.mark.django_db
def test_a_role_shows_only_the_agreements_where_it_acts(world, association, other_agreement):
    """Staff of an association that is the *public* party of another agreement do not see
    that agreement in their list (they could not open it)."""
    from django.contrib.auth.models import Group

    from partnership.models import Party
    from partnership.tests.factories import UserFactory

    Party.objects.filter(agreement=other_agreement, role="public").update(organisation=association)
    member = UserFactory(username="staff-two", organisation=association)
    member.groups.add(Group.objects.get(name="staff"))
    client = Client()
    client.force_login(member)
    agreements = client.get("/").context["agreements"]
    assert [a.pk for a in agreements] == [world["a"]["agreement"].pk]
