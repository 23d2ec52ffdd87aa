"""Budget figures on hand-checked numbers.

The fixture agreement runs 2019-04-01 – 2020-12-31: 275 days in 2019 and 366 in 2020, 641
days in all. Lines: Staff 800 000 kr and Activities 200 000 kr; threshold 10 %.
"""

from datetime import date, time
from decimal import Decimal

import pytest

from finance.budget import budget_figures, elapsed_share, period_budget, whole_kronor
from finance.models import InKindContribution, Payment
from finance.tests.factories import ExpenseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def lines(agreement):
    staff, activities = agreement.budget_lines.order_by("order")
    return staff, activities


def spend(agreement, line, day, amount):
    return ExpenseFactory(agreement=agreement, budget_line=line, date=day, amount=Decimal(amount))


def test_elapsed_share_inclusive_and_clamped():
    start, end = date(2019, 4, 1), date(2020, 12, 31)
    assert elapsed_share(start, end, date(2019, 3, 31)) == 0
    assert elapsed_share(start, end, start) == Decimal(1) / Decimal(641)
    assert elapsed_share(start, end, date(2019, 12, 31)) == Decimal(275) / Decimal(641)
    assert elapsed_share(start, end, end) == 1
    assert elapsed_share(start, end, date(2021, 6, 1)) == 1


def test_mid_period_forecast_deviation_and_balance(agreement, lines):
    staff, activities = lines
    spend(agreement, staff, date(2019, 6, 30), "330000")
    spend(agreement, activities, date(2019, 9, 1), "110000")
    spend(agreement, activities, date(2020, 1, 2), "5000")  # after as_of: not counted
    Payment.objects.create(agreement=agreement, date=date(2019, 4, 15), amount=Decimal("500000"))
    Payment.objects.create(agreement=agreement, date=date(2020, 1, 15), amount=Decimal("250000"))

    f = budget_figures(agreement, as_of=date(2019, 12, 31))

    assert f.period_elapsed_share == Decimal(275) / Decimal(641)
    s, a = f.lines
    # 330 000 / (275/641) = 1 200 × 641 = 769 200; −30 800 is −3.85 %: inside 10 %.
    assert (s.budget, s.outcome, s.forecast, s.deviation) == (
        Decimal("800000"),
        Decimal("330000"),
        Decimal("769200"),
        Decimal("-30800"),
    )
    assert s.share_used == Decimal("0.4125")
    assert s.deviation_share == Decimal("-0.0385")
    assert not s.flagged
    # 110 000 / (275/641) = 400 × 641 = 256 400; +56 400 is +28.2 %: flagged.
    assert (a.outcome, a.forecast, a.deviation) == (
        Decimal("110000"),
        Decimal("256400"),
        Decimal("56400"),
    )
    assert a.deviation_share == Decimal("0.282")
    assert a.flagged
    assert f.flagged_lines == [a]
    assert f.budget_total == Decimal("1000000")
    assert f.outcome_total == Decimal("440000")
    assert f.forecast_total == Decimal("1025600")
    assert f.payments_total == Decimal("500000")
    assert f.balance == Decimal("60000")
    assert f.unused_funds == Decimal("560000")
    assert f.to_repay == Decimal("0")  # not ended yet


def test_threshold_is_per_agreement(agreement, lines):
    staff, activities = lines
    spend(agreement, activities, date(2019, 9, 1), "110000")
    agreement.deviation_threshold_percent = 30
    agreement.save()
    f = budget_figures(agreement, as_of=date(2019, 12, 31))
    assert not f.lines[1].flagged  # 28.2 % < 30 %


def test_first_day(agreement, lines):
    staff, _ = lines
    spend(agreement, staff, date(2019, 4, 1), "1000")
    f = budget_figures(agreement, as_of=date(2019, 4, 1))
    s, a = f.lines
    assert f.period_elapsed_share == Decimal(1) / Decimal(641)
    assert s.forecast == Decimal("641000")  # 1 000 kr a day for 641 days
    assert s.deviation == Decimal("-159000")
    assert s.flagged  # 19.875 % under
    assert a.forecast == 0 and a.flagged


def test_last_day_forecast_equals_outcome_and_repayment(agreement, lines):
    staff, activities = lines
    spend(agreement, staff, date(2019, 5, 1), "400000")
    spend(agreement, staff, date(2020, 12, 31), "380000")
    spend(agreement, activities, date(2020, 6, 1), "200000")
    Payment.objects.create(agreement=agreement, date=date(2019, 4, 15), amount=Decimal("600000"))
    Payment.objects.create(agreement=agreement, date=date(2020, 4, 15), amount=Decimal("400000"))

    for as_of in (date(2020, 12, 31), date(2021, 3, 1)):
        f = budget_figures(agreement, as_of=as_of)
        s, a = f.lines
        assert f.period_elapsed_share == 1
        assert s.forecast == s.outcome == Decimal("780000")
        assert s.deviation == Decimal("-20000") and not s.flagged  # 2.5 %
        assert a.forecast == Decimal("200000") and a.deviation == 0
        assert f.outcome_total == Decimal("980000")
        assert f.payments_total == Decimal("1000000")
        assert f.balance == Decimal("20000")
        assert f.to_repay == Decimal("20000")
        assert f.unused_funds == Decimal("20000")


def test_overspent_at_end_repays_nothing(agreement, lines):
    staff, _ = lines
    spend(agreement, staff, date(2020, 6, 1), "900000")
    Payment.objects.create(agreement=agreement, date=date(2019, 4, 15), amount=Decimal("800000"))
    f = budget_figures(agreement, as_of=date(2021, 1, 1))
    assert f.balance == Decimal("-100000")
    assert f.to_repay == 0
    assert f.unused_funds == Decimal("100000")  # 1 000 000 − 900 000
    assert f.lines[0].flagged  # 12.5 % over


def test_empty_period(agreement):
    f = budget_figures(agreement, as_of=date(2019, 12, 31))
    assert f.outcome_total == 0 and f.forecast_total == 0 and f.payments_total == 0
    assert all(line.forecast == 0 and line.deviation == -line.budget for line in f.lines)
    assert all(line.flagged for line in f.lines)  # spending nothing at all is a deviation
    assert f.unused_funds == Decimal("1000000")
    assert f.to_repay == 0


def test_before_the_start_nothing_is_flagged(agreement):
    f = budget_figures(agreement, as_of=date(2019, 3, 1))
    assert f.period_elapsed_share == 0
    assert f.forecast_total == 0
    assert f.flagged_lines == []


def test_zero_budget_line_is_flagged_when_spent(agreement, lines):
    staff, _ = lines
    staff.amount = Decimal("0")
    staff.save()
    f = budget_figures(agreement, as_of=date(2019, 12, 31))
    assert f.lines[0].share_used is None and not f.lines[0].flagged
    spend(agreement, staff, date(2019, 5, 1), "10")
    f = budget_figures(agreement, as_of=date(2019, 12, 31))
    assert f.lines[0].deviation_share is None and f.lines[0].flagged


def test_date_range_counts_the_budget_by_month(agreement, lines):
    staff, activities = lines
    spend(agreement, staff, date(2019, 12, 31), "99999")  # before the range
    spend(agreement, staff, date(2020, 3, 1), "100000")
    f = budget_figures(
        agreement, start=date(2020, 1, 1), end=date(2020, 12, 31), as_of=date(2020, 6, 30)
    )
    s, a = f.lines
    # 12 of the agreement's 21 months: 800 000 × 12 / 21 = 457 142.86; 200 000 × 12 / 21
    # = 114 285.71 (by days it would have been 456 786 and 114 197)
    assert s.budget == Decimal("457143") and a.budget == Decimal("114286")
    assert f.budget_total == Decimal("571429")
    # 182 of 366 days elapsed: 100 000 × 366 / 182 = 201 098.90
    assert f.period_elapsed_share == Decimal(182) / Decimal(366)
    assert s.outcome == Decimal("100000")
    assert s.forecast == Decimal("201099")


def test_a_monthly_budget_is_counted_in_whole_months_and_days_of_a_partial_month(agreement, lines):
    staff, _activities = lines
    # Sep–Dec 2019 of a 21-month agreement: 4/21, whatever the number of days.
    f = budget_figures(agreement, start=date(2019, 9, 1), end=date(2019, 12, 31))
    assert f.lines[0].budget == whole_kronor(Decimal(800000) * 4 / 21)
    # 1–15 April 2019 is half of April: 0.5/21.
    f = budget_figures(agreement, start=date(2019, 4, 1), end=date(2019, 4, 15))
    assert f.lines[0].budget == whole_kronor(Decimal(800000) / 2 / 21)
    # A position of 2 × 42 000 kr a month gives 336 000 kr for four months.
    assert period_budget(Decimal(84000 * 21), agreement, date(2019, 9, 1), date(2019, 12, 31)) == (
        Decimal(336000)
    )


def test_range_is_clamped_to_the_agreement(agreement):
    f = budget_figures(agreement, start=date(2018, 1, 1), end=date(2022, 1, 1))
    assert (f.start, f.end) == (agreement.start_date, agreement.end_date)
    assert f.is_whole_agreement


def test_in_kind_hours_from_sessions_activities_and_own_entries(agreement):
    from visits.models import Activity, Session, Venue

    venue = Venue.objects.create(agreement=agreement, name="Café", kind="meeting_place")
    for day, hours in ((date(2019, 5, 2), "3.5"), (date(2019, 5, 3), "2.0")):
        Session.objects.create(
            agreement=agreement,
            venue=venue,
            date=day,
            start_time=time(10),
            end_time=time(14),
            volunteer_hours=Decimal(hours),
        )
    Activity.objects.create(
        agreement=agreement, date=date(2019, 6, 1), type="sport", volunteer_hours=Decimal("4.0")
    )
    Activity.objects.create(  # after as_of: not counted
        agreement=agreement, date=date(2020, 6, 1), type="sport", volunteer_hours=Decimal("9.0")
    )
    InKindContribution.objects.create(
        agreement=agreement, kind="volunteer", date=date(2019, 7, 1), hours=Decimal("10.0")
    )
    InKindContribution.objects.create(
        agreement=agreement,
        kind="civil_servant",
        date=date(2019, 7, 1),
        hours=Decimal("20.0"),
        notional_hourly_value=Decimal("450"),
    )
    f = budget_figures(agreement, as_of=date(2019, 12, 31))
    assert f.in_kind["session_volunteer_hours"] == Decimal("5.5")
    assert f.in_kind["activity_volunteer_hours"] == Decimal("4.0")
    assert f.in_kind["own_volunteer_hours"] == Decimal("10.0")
    assert f.in_kind["volunteer_hours"] == Decimal("19.5")
    assert f.in_kind["civil_servant_hours"] == Decimal("20.0")
    assert f.in_kind["notional_value"] == Decimal("9000")
    assert f.outcome_total == 0  # never counted as cost


def test_query_count_is_fixed(agreement, lines, django_assert_num_queries):
    staff, activities = lines
    for i in range(30):
        spend(agreement, staff if i % 2 else activities, date(2019, 5, 1 + i % 28), "100")
    with django_assert_num_queries(6):
        budget_figures(agreement, as_of=date(2019, 12, 31))
