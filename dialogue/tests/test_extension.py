"""Issue 21: an extension (förlängning) agreed in the dialogue: the new end, the budget for the
longer period, new interim deadlines, the final deadline moved, all as one amendment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dialogue.models import Decision, Meeting
from dialogue.services import extend_agreement
from partnership.models import Agreement, Amendment, ReportingDeadline

pytestmark = pytest.mark.django_db

TODAY = date(2020, 6, 1)  # inside the factory agreement (2019-04-01 – 2020-12-31)


@pytest.fixture(autouse=True)
def _in_english(english):
    """Messages are matched in English."""


@pytest.fixture
def meeting(agreement):
    meeting = Meeting.objects.create(
        agreement=agreement, date=date(2020, 5, 20), kind=Meeting.Kind.COOPERATION
    )
    meeting.organisations.set([p.organisation for p in agreement.parties.all()])
    return meeting


def _extend(agreement, meeting, **kwargs):
    values = {
        "end_date": date(2021, 12, 31),
        "meeting": meeting,
        "decision_text": "The parties agree to extend the partnership by a year.",
        "today": TODAY,
    }
    return extend_agreement(agreement=agreement, **{**values, **kwargs})


def test_an_extension_moves_the_end_the_budget_and_the_deadlines(agreement, meeting, coordinator):
    staff_line = agreement.budget_lines.get(text="Staff")
    final_before = agreement.deadlines.get(kind="final").due_date
    amendment, decision = _extend(
        agreement,
        meeting,
        budget={staff_line: Decimal("1300000")},
        interim_deadlines=[(date(2021, 1, 1), date(2021, 6, 30), date(2021, 7, 31))],
        user=coordinator,
    )
    agreement.refresh_from_db()
    assert agreement.end_date == date(2021, 12, 31)
    assert agreement.budget_total == Decimal("1500000")
    final = agreement.deadlines.get(kind="final")
    assert final_before == date(2020, 11, 30) and final.due_date == date(2021, 11, 30)
    assert agreement.deadlines.get(kind="close_out").due_date == date(2022, 2, 28)
    assert agreement.deadlines.filter(kind="interim", due_date=date(2021, 7, 31)).exists()
    assert (amendment.number, amendment.date) == (1, TODAY)
    assert "2021-12-31" in amendment.title
    assert "ends 2021-12-31 instead of 2020-12-31" in amendment.text
    assert "Staff" in amendment.text and "1 300 000" in amendment.text.replace("\xa0", " ")
    assert decision.meeting == meeting and str(amendment) in decision.text
    assert amendment.history.first().history_user == coordinator


def test_an_extension_into_the_past_is_refused(agreement, meeting):
    with pytest.raises(ValidationError, match="later than the current end"):
        _extend(agreement, meeting, end_date=date(2021, 12, 31), today=date(2022, 1, 1))
    with pytest.raises(ValidationError, match="later than the current end"):
        _extend(agreement, meeting, end_date=date(2020, 10, 31))
    agreement.refresh_from_db()
    assert agreement.end_date == date(2020, 12, 31)
    assert not Amendment.objects.exists() and not Decision.objects.exists()


def test_a_deadline_outside_the_new_period_is_refused_and_nothing_changes(agreement, meeting):
    with pytest.raises(ValidationError, match="inside the agreement period"):
        _extend(
            agreement,
            meeting,
            budget={agreement.budget_lines.get(text="Staff"): Decimal("1300000")},
            interim_deadlines=[(date(2021, 7, 1), date(2022, 3, 31), date(2022, 4, 30))],
        )
    agreement.refresh_from_db()
    assert (agreement.end_date, agreement.budget_total) == (date(2020, 12, 31), Decimal("1000000"))
    assert agreement.deadlines.get(kind="final").due_date == date(2020, 11, 30)
    assert not ReportingDeadline.objects.filter(due_date__year=2022, kind="interim").exists()
    assert not Amendment.objects.exists() and not Decision.objects.exists()


def test_an_extension_needs_the_associations_agreement(agreement, meeting):
    meeting.organisations.set([agreement.parties.get(role="public").organisation])
    with pytest.raises(ValidationError, match="association was not present"):
        _extend(agreement, meeting)
    assert Agreement.objects.get(pk=agreement.pk).end_date == date(2020, 12, 31)


def test_only_an_active_agreement_is_extended(agreement, meeting):
    Agreement.objects.filter(pk=agreement.pk).update(status="ended")
    with pytest.raises(ValidationError, match="Only an active agreement"):
        _extend(agreement, meeting)
    assert not Amendment.objects.exists()


def test_the_coordinator_extends_on_a_page(agreement, meeting, coordinator):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    url = f"/dialogue/{agreement.pk}/extend/"
    page = client.get(url).content.decode()
    assert "Budget line “Staff” (kr)" in page and 'value="800000"' in page
    staff_line, activities = agreement.budget_lines.order_by("order")
    data = {
        "end_date": "2027-12-31",
        "meeting": meeting.pk,
        "decision_text": "Extended until the end of 2027.",
        "interim_period_start": "2027-01-01",
        "interim_period_end": "2027-06-30",
        "interim_due_date": "2027-07-31",
        f"line_{staff_line.pk}": "5400000",
        f"line_{activities.pk}": "200000",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.end_date, agreement.budget_total) == (date(2027, 12, 31), Decimal("5600000"))
    amendment = Amendment.objects.get(agreement=agreement)
    assert "Activities" not in amendment.text  # an unchanged line is not an amendment
    assert Decision.objects.get(meeting=meeting).text.startswith("Extended until the end of 2027.")
    detail = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Extension to 2027-12-31" in detail


def test_the_extension_page_shows_a_refusal_and_changes_nothing(agreement, meeting, coordinator):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    lines = {f"line_{line.pk}": str(line.amount) for line in agreement.budget_lines.all()}
    response = client.post(
        f"/dialogue/{agreement.pk}/extend/",
        {
            "end_date": "2027-12-31",
            "meeting": meeting.pk,
            "decision_text": "Extended.",
            "interim_period_start": "2028-01-01",
            "interim_period_end": "2028-03-31",
            "interim_due_date": "2028-04-30",
            **lines,
        },
    )
    assert response.status_code == 200
    assert "The new interim report" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).end_date == date(2020, 12, 31)
    assert not Amendment.objects.exists()
