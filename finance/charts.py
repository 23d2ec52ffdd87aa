"""The budget chart (the project's chart engine, ``core.charts``)."""

from datetime import date
from decimal import Decimal

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import chart, svg_without_scripts
from core.formatting import format_sek
from partnership.models import BudgetLine

from .budget import month_ends, monthly_outcome, period_budget


def cumulative_outcome_chart_svg(agreement, start=None, end=None, *, as_of=None) -> str:
    """Cumulative outcome month by month from ``start`` up to ``min(end, as_of)``, against
    the budget of the period as a straight line from 0 on ``start`` to the budget total on
    ``end`` (counted by month for a part of the agreement, as in ``budget_figures``).
    Two queries."""
    start = max(start or agreement.start_date, agreement.start_date)
    end = min(end or agreement.end_date, agreement.end_date)
    as_of = as_of or timezone.localdate()
    until = min(end, as_of)

    budget = BudgetLine.objects.filter(agreement=agreement).values_list("amount", flat=True)
    budget_total = sum(
        (period_budget(amount, agreement, start, end) for amount in budget), Decimal("0")
    )

    per_month = dict(monthly_outcome(agreement, start, until))
    points = [(start, 0.0)]
    running = Decimal("0")
    if until >= start:
        for day in month_ends(start, until):
            running += per_month.get(date(day.year, day.month, 1), Decimal("0"))
            points.append((day, float(running)))

    line_chart = chart(
        pygal.DateLine,
        width=800,
        height=360,
        show_dots=len(points) <= 40,
        dots_size=2,
        x_label_rotation=30,
        include_x_axis=True,
        x_value_formatter=lambda d: d.strftime("%Y-%m"),
        value_formatter=format_sek,
        title=_("Cumulative outcome against budget"),
    )
    line_chart.add(_("Budget (straight line)"), [(start, 0.0), (end, float(budget_total))])
    line_chart.add(_("Outcome, cumulative"), points)
    return svg_without_scripts(line_chart)
