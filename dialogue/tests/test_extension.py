"""Issue 21: an extension (förlängning) agreed in the dialogue: the new end, the budget for the
longer period, new interim deadlines, the final deadline moved, all as one amendment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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


@pytest.fixture
def positions(agreement):
    """The agreement's staff line built from two positions over the 21 months, as the 2019
    agreement's is: 1 × 100 % × 25 000 kr and 2 × 50 % × 10 000 kr a month."""
    from partnership.models import StaffPosition

    line = agreement.budget_lines.get(text="Staff")
    coordinator = StaffPosition.objects.create(
        budget_line=line, title="Coordinator", monthly_cost=Decimal("25000"), months=21
    )
    guides = StaffPosition.objects.create(
        budget_line=line,
        title="Guide",
        count=2,
        fte_percent=50,
        monthly_cost=Decimal("10000"),
        months=21,
    )
    line.amount = line.positions_total()  # 525 000 + 210 000
    line.save()
    agreement.budget_total = agreement.budget_lines_total()
    agreement.save()
    return coordinator, guides


def test_an_extension_budgets_positions_by_their_months(agreement, meeting, positions, coordinator):
    """Positions × months: a year more of the coordinator, the line and the total follow the
    positions, and each is recorded in the amendment before → after."""
    from partnership.models import AmendmentChange

    position, guides = positions
    line = position.budget_line
    assert line.amount == Decimal("735000") and agreement.budget_total == Decimal("935000")
    amendment, _decision = _extend(agreement, meeting, months={position: 33}, user=coordinator)

    line.refresh_from_db()
    agreement.refresh_from_db()
    position.refresh_from_db()
    guides.refresh_from_db()
    assert (position.months, guides.months) == (33, 21)
    assert line.amount == Decimal("1035000")  # 25 000 × 33 + 10 000 × 21
    assert agreement.budget_total == Decimal("1235000")
    changes = {c.kind: c for c in amendment.changes.all()}
    moved = changes[AmendmentChange.Kind.POSITION]
    assert (moved.term, moved.months_before, moved.months_after) == ("Staff: Coordinator", 21, 33)
    assert moved.position == position and moved.budget_line == line
    assert changes[AmendmentChange.Kind.BUDGET_LINE].amount_after == Decimal("1035000")
    assert changes[AmendmentChange.Kind.BUDGET_TOTAL].amount_before == Decimal("935000")
    text = amendment.text.replace("\xa0", " ")
    assert "Staff: Coordinator: 21 → 33 months." in text
    assert "Budget line “Staff”: 735 000 kr → 1 035 000 kr." in text
    assert "Guide" not in text  # an unchanged position is not part of it


def test_an_amount_for_a_line_built_from_positions_is_refused(agreement, meeting, positions):
    line = positions[0].budget_line
    with pytest.raises(ValidationError, match="built from staff positions"):
        _extend(agreement, meeting, budget={line: Decimal("2000000")})
    line.refresh_from_db()
    agreement.refresh_from_db()
    assert line.amount == Decimal("735000") and agreement.end_date == date(2020, 12, 31)
    assert not Amendment.objects.exists() and not Decision.objects.exists()


def test_the_extension_page_asks_for_the_positions_months(
    agreement, meeting, positions, coordinator
):
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    url = f"/dialogue/{agreement.pk}/extend/"
    position, guides = positions
    page = client.get(url).content.decode()
    assert f'name="line_{position.budget_line_id}"' not in page  # its amount follows them
    assert "“Staff”: months of Guide" in page and "2 × 50 % × 10 000" in page.replace("\xa0", " ")
    activities = agreement.budget_lines.get(text="Activities")
    data = {
        "end_date": "2027-12-31",
        "meeting": meeting.pk,
        "decision_text": "Extended with both positions.",
        f"line_{activities.pk}": "200000",
        f"position_{position.pk}": "0",
        f"position_{guides.pk}": "33",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # no position for no month
    assert not Amendment.objects.exists()
    assert client.post(url, {**data, f"position_{position.pk}": "33"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.budget_total == Decimal("1355000")  # 25 000 × 33 + 10 000 × 33 + 200 000
    amendment = Amendment.objects.get()
    page = client.get(reverse("partnership:amendment_detail", args=[amendment.pk])).content.decode()
    assert "21 months" in page and "33 months" in page
