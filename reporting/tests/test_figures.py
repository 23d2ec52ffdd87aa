import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.models import Expense
from reporting.figures import HIDDEN, SMALL, iso_weeks, report_figures, suppress_table

from .conftest import make_logged_data

pytestmark = pytest.mark.django_db


def _lines(result, matrix):
    rows = [
        cells + [total] for cells, total in zip(result["cells"], result["row_totals"], strict=True)
    ]
    cols = [
        [result["cells"][r][c] for r in range(len(matrix))] + [result["column_totals"][c]]
        for c in range(len(result["column_totals"]))
    ]
    return (
        rows
        + cols
        + [
            result["column_totals"] + [result["total"]],
            result["row_totals"] + [result["total"]],
        ]
    )


def test_a_cell_of_three_is_shown_as_fewer_than_five_and_cannot_be_derived():
    matrix = [[3, 10, 0], [12, 28, 0]]
    result = suppress_table(matrix)
    assert result["cells"][0][0] == SMALL
    # Its row and column each hide a second figure, so subtraction gives only sums.
    assert result["cells"][0][1] == HIDDEN
    assert result["cells"][1][0] == HIDDEN
    assert result["cells"][1][1] == HIDDEN
    assert result["row_totals"] == [13, 40]
    assert result["column_totals"] == [15, 38, 0]
    assert result["total"] == 53
    # Every value of the small cell from 1 to 4 fits what is shown: it cannot be worked out.
    fits = [
        a
        for a in range(1, 5)
        if (b := 13 - a) >= 0 and (c := 15 - a) >= 0 and (d := 38 - b) >= 0 and c + d == 40
    ]
    assert len(fits) > 1


def test_small_totals_are_suppressed_too():
    result = suppress_table([[2, 0], [0, 30]])
    assert result["cells"][0][0] == SMALL
    assert result["row_totals"][0] == SMALL
    assert result["column_totals"][0] == SMALL
    assert result["cells"][0][1] == 0  # a zero reveals nobody


def test_a_table_without_small_cells_is_shown_as_is():
    result = suppress_table([[5, 6], [7, 0]])
    assert result["cells"] == [[5, 6], [7, 0]]
    assert result["total"] == 18
    assert result["suppressed"] is False


@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.lists(
            st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=rows, max_size=rows
        )
    )
)
def test_no_line_has_exactly_one_suppressed_figure_and_no_small_number_is_shown(matrix):
    result = suppress_table(matrix)
    for line in _lines(result, matrix):
        suppressed = [v for v in line if v in (SMALL, HIDDEN)]
        assert len(suppressed) != 1, (matrix, result)
        assert not any(isinstance(v, int) and 0 < v < 5 for v in line)


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
    assert under_18["cells"][0] == SMALL

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

    assert figures["support"] == {"coupons": 14, "hostel_nights": 0, "referrals": 2}
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
    with django_assert_max_num_queries(25):
        report_figures(report)
