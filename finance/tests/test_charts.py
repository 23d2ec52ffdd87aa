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
