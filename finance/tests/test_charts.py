from datetime import date

import pytest

from finance.charts import cumulative_outcome_chart_svg
from finance.tests.factories import ExpenseFactory


@pytest.mark.django_db
def test_the_outcome_chart_carries_no_script(agreement):
    """The page's Content Security Policy refuses inline script: the SVG must have none."""
    ExpenseFactory(agreement=agreement)
    svg = cumulative_outcome_chart_svg(agreement, as_of=date(2020, 1, 31))
    assert svg.lstrip().startswith("<svg")
    assert "<script" not in svg.lower()
    assert "</svg>" in svg


def _x_labels(svg):
    import re

    axis = re.search(r'<g class="axis x">(.*?)</g></g>', svg, re.DOTALL).group(1)
    return [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", axis) if t]


@pytest.mark.django_db
def test_a_quarter_has_one_label_per_month(agreement, english):
    ExpenseFactory(agreement=agreement, date=date(2019, 5, 10))
    svg = cumulative_outcome_chart_svg(
        agreement, date(2019, 4, 1), date(2019, 6, 30), as_of=date(2019, 7, 15)
    )
    assert _x_labels(svg) == ["2019-04", "2019-05", "2019-06"]


@pytest.mark.django_db
def test_the_whole_agreement_has_few_distinct_month_labels(agreement, english):
    ExpenseFactory(agreement=agreement, date=date(2019, 5, 10))
    labels = _x_labels(cumulative_outcome_chart_svg(agreement, as_of=date(2021, 1, 15)))
    assert 3 <= len(labels) <= 6  # 21 months: every fourth, readable on a phone
    assert labels == sorted(set(labels)) and all(len(label) == 7 for label in labels)


@pytest.mark.django_db
def test_budget_and_outcome_read_apart_without_colour(agreement, english):
    import re

    svg = cumulative_outcome_chart_svg(agreement, as_of=date(2020, 1, 31))
    # The budget is drawn dashed, the outcome solid with dots, and the legend says which.
    assert re.search(r"\.serie-0\{[^}]*stroke-dasharray:10,7", svg)
    assert not re.search(r"\.serie-1\{[^}]*stroke-dasharray", svg)
    assert "Budget, counted by month (dashed line)" in svg
    assert "Outcome so far (solid line with dots)" in svg
