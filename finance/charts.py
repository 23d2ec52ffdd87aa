"""The budget chart (the project's chart engine, ``core.charts``)."""

from datetime import date
from decimal import Decimal

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import HEIGHT, LINE_STYLE, WIDTH, chart, svg_without_scripts
from core.formatting import format_sek
from partnership.models import BudgetLine

from .budget import month_ends, monthly_outcome, months, period_budget

MONTH_LABELS = 6  # at most this many month labels under the chart


def cumulative_outcome_chart_svg(agreement, start=None, end=None, *, as_of=None) -> str:
    """Cumulative outcome at every month end from ``start`` up to ``min(end, as_of)``,
    against the budget counted by month (as in ``budget_figures``) to ``end``. One point,
    and at most one label, per month; the budget is a dashed line, the outcome a solid one
    with dots, and the legend says so: the two read apart without their colours. Two
    queries."""
    start = max(start or agreement.start_date, agreement.start_date)
    end = min(end or agreement.end_date, agreement.end_date)
    as_of = as_of or timezone.localdate()
    until = min(end, as_of)

    budget = BudgetLine.objects.filter(agreement=agreement).values_list("amount", flat=True)
    budget_total = sum(
        (period_budget(amount, agreement, start, end) for amount in budget), Decimal("0")
    )
    per_month = dict(monthly_outcome(agreement, start, until)) if until >= start else {}

    ends = month_ends(start, end)
    whole = months(start, end)
    # The first point is the start (nothing spent, nothing budgeted yet), unlabelled.
    budget_points = [0.0] + [float(budget_total * months(start, day) / whole) for day in ends]
    started = until >= start
    outcome_points = [0.0 if started else None]
    running = Decimal("0")
    for day in ends:
        # A month's point holds the outcome so far once the month has begun (up to as_of).
        if started and date(day.year, day.month, 1) <= until:
            running += per_month.get(date(day.year, day.month, 1), Decimal("0"))
            outcome_points.append(float(running))
        else:
            outcome_points.append(None)

    line_chart = chart(
        pygal.Line,
        width=WIDTH,
        height=HEIGHT,
        show_dots=False,
        include_x_axis=True,
        show_x_guides=False,
        x_label_rotation=0,
        x_labels_major_every=max(1, -(-len(ends) // MONTH_LABELS)),
        show_minor_x_labels=False,
        truncate_label=-1,
        max_scale=6,
        value_formatter=format_sek,
        margin_right=40,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        style=LINE_STYLE,
        title=_("Cumulative outcome against budget"),
    )
    line_chart.x_labels = [""] + [day.strftime("%Y-%m") for day in ends]
    line_chart.add(
        _("Budget, counted by month (dashed line)"),
        budget_points,
        stroke_style={"dasharray": "10, 7"},
    )
    line_chart.add(
        _("Outcome so far (solid line with dots)"),
        outcome_points,
        show_dots=True,
        dots_size=4,
    )
    return svg_without_scripts(line_chart)
