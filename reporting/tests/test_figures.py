import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finance.models import Expense
from partnership.services import change_period
from reporting.figures import iso_weeks, report_figures
from reporting.models import Report

from .conftest import make_logged_data
from .factories import VenueFactory, open_on

pytestmark = pytest.mark.django_db


def test_iso_weeks_cover_the_period_across_a_year_end():
    weeks = iso_weeks(date(2019, 12, 28), date(2020, 1, 6))
    assert weeks == [(2019, 52), (2020, 1), (2020, 2)]


def test_report_figures_match_the_database(agreement, logged, report):
    figures = report_figures(report)
    json.dumps(figures)  # it can be frozen

    assert figures["header"]["case_number"] == agreement.case_number
    assert figures["header"]["period_end"] == "2019-08-31"
    assert {p["org_number"] for p in figures["header"]["parties"]} == {
        p.organisation.org_number for p in agreement.parties.all()
    }

    visits = figures["visits"]
    assert visits["table"]["total"] == 53
    assert sum(w["visits"] for w in visits["per_week"]) == 53
    assert visits["per_week"][0] == {"week": "2019-W14", "visits": 53}
    under_18 = visits["table"]["rows"][0]
    assert under_18["label"] == "under 18"
    assert under_18["cells"][0] == "< 5"

    [cafe] = figures["completeness"]
    # Mondays and Wednesdays 2019-04-01 – 2019-08-31, less Easter Monday (2019-04-22)
    # and Wednesday 1 May.
    assert cafe["expected_days"] == 44 - 2
    assert cafe["days_held"] == 2
    assert cafe["sessions_held"] == 2
    assert "2019-04-08" in cafe["missing"] and "2019-04-22" not in cafe["missing"]

    activities = figures["activities"]
    assert activities["total"] == 2
    by_commitment = {c["text"]: c["activities"] for c in activities["commitments"]}
    assert by_commitment == {"Run the meeting place": 2, "Provide premises": 0}
    assert activities["commitments_without_activity"] == 1
    assert activities["partners"] == [{"name": "Röda korset", "activities": 1}]

    # Two people referred: a count about people, published as "< 5".
    assert figures["support"] == {"coupons": 14, "hostel_nights": 0, "referrals": "< 5"}
    participants = {row["type"]: row["participants"] for row in activities["by_type"]}
    assert participants == {"homework_help": 6, "lunch_coupons": 0}
    assert figures["in_kind"]["volunteer_hours"] == 5.5

    budget = figures["budget"]
    staff = budget["lines"][0]
    assert (staff["text"], staff["budget"], staff["outcome"]) == ("Staff", 800000, 50000)
    assert budget["outcome_total"] == 57000
    assert budget["payments_total"] == 300000
    assert figures["payments"]["total"] == 300000


def test_figures_count_only_the_period(agreement, logged, report):
    Expense.objects.create(
        agreement=agreement,
        budget_line=agreement.budget_lines.first(),
        date=date(2019, 9, 2),
        amount=Decimal("99000"),
        description="After the period",
    )
    figures = report_figures(report)
    assert figures["budget"]["outcome_total"] == 57000


@pytest.mark.parametrize("scale", [1, 10])
def test_figures_use_a_bounded_number_of_queries(
    agreement, report, scale, django_assert_max_num_queries
):
    make_logged_data(agreement, scale=scale)
    # Two bases of the money (the period's, the cumulative) take two queries each; the
    # dialogue (meetings with their organisations and decisions, open action items, lessons,
    # the decisions approving deviations) six, and the repayments one.
    with django_assert_max_num_queries(36):
        report_figures(report)


def test_no_day_after_as_of_is_expected_or_missed(agreement, coordinator_client, english):
    today = timezone.localdate()
    Report.objects.filter(deadline__kind="interim").delete()
    agreement.deadlines.filter(kind="interim").delete()
    agreement = change_period(
        agreement=agreement,
        start_date=today - timedelta(days=27),
        end_date=today + timedelta(days=60),
    )
    open_on(VenueFactory(agreement=agreement, name="Café"), *range(7))
    final = agreement.deadlines.get(kind="final").report
    figures = report_figures(final)
    [cafe] = figures["completeness"]
    assert figures["header"]["as_of"] == today.isoformat()
    assert 0 < cafe["expected_days"] <= 28 and len(cafe["missing"]) == cafe["expected_days"]
    assert max(cafe["missing"]) <= today.isoformat()  # not the weeks still to come
    # The report says what it covers.
    page = coordinator_client.get(reverse("reporting:report_detail", args=[final.pk]))
    assert f"The figures cover the days up to {today.isoformat()}" in page.content.decode()


def test_money_on_both_bases_the_period_and_the_cumulative(
    agreement, logged, coordinator_client, english
):
    staff, _activities = agreement.budget_lines.order_by("order")
    Expense.objects.create(
        agreement=agreement,
        budget_line=staff,
        date=date(2019, 10, 1),
        amount=Decimal("20000"),
        description="October",
    )
    deadline = agreement.deadlines.create(
        kind="interim",
        period_start=date(2019, 9, 1),
        period_end=date(2019, 12, 31),
        due_date=date(2019, 12, 31),
    )
    budget = report_figures(deadline.report)["budget"]
    period, cumulative = budget["period"], budget["cumulative"]
    # September–December: 4 of the agreement's 21 months of 800 000 kr.
    assert (period["start"], period["end"]) == ("2019-09-01", "2019-12-31")
    assert period["lines"][0] == {
        "text": "Staff",
        "budget": 152381,
        "outcome": 20000,
        "share_used": round(20000 / 152381, 4),
    }
    assert period["payments_total"] == 0  # the only payment came in April
    assert period["elapsed_share"] == 1.0
    # April–December: 9 months; the outcome since the start (May's salaries too).
    assert cumulative["lines"][0]["budget"] == 342857
    assert cumulative["lines"][0]["outcome"] == 70000
    assert cumulative["payments_total"] == 300000
    assert cumulative["elapsed_share"] == 1.0

    page = coordinator_client.get(reverse("reporting:report_detail", args=[deadline.report.pk]))
    text = page.content.decode()
    assert "This period: 2019-09-01 – 2019-12-31" in text
    assert "Since the agreement started (cumulative): 2019-04-01 – 2019-12-31" in text
    assert "152\u00a0381\u00a0kr" in text and "342\u00a0857\u00a0kr" in text


def test_a_period_from_the_start_has_one_basis(agreement, logged, report):
    budget = report_figures(report)["budget"]
    assert budget["period"]["start"] == agreement.start_date.isoformat()
    assert budget["cumulative"] is None  # the same figures: not shown twice
