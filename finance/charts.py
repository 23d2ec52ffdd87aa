"""Charts of the money pages, rendered server-side by pygal as SVG with no script, so the
same SVG works inline in a page and in a WeasyPrint PDF."""

from datetime import date
from decimal import Decimal

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _
from pygal.etree import etree
from pygal.style import Style

from core.formatting import format_sek
from partnership.models import BudgetLine

from .budget import month_ends, monthly_outcome, whole_kronor

# Dark blue and orange keep 4.5:1 contrast against white and differ for colour-blind eyes.
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5394", "#b45f06"),
    font_family="DejaVu Sans, Arial, sans-serif",
)


def cumulative_outcome_chart_svg(agreement, start=None, end=None, *, as_of=None) -> str:
    """Cumulative outcome month by month from ``start`` up to ``min(end, as_of)``, against
    the budget of the period as a straight line from 0 on ``start`` to the budget total on
    ``end`` (pro-rated by days for a part of the agreement, as in ``budget_figures``).
    Two queries."""
    start = max(start or agreement.start_date, agreement.start_date)
    end = min(end or agreement.end_date, agreement.end_date)
    as_of = as_of or timezone.localdate()
    until = min(end, as_of)

    budget = BudgetLine.objects.filter(agreement=agreement).values_list("amount", flat=True)
    agreement_days = (agreement.end_date - agreement.start_date).days + 1
    range_days = (end - start).days + 1
    budget_total = sum(
        (
            amount
            if range_days == agreement_days
            else whole_kronor(amount * Decimal(range_days) / Decimal(agreement_days))
            for amount in budget
        ),
        Decimal("0"),
    )

    per_month = dict(monthly_outcome(agreement, start, until))
    points = [(start, 0.0)]
    running = Decimal("0")
    if until >= start:
        for day in month_ends(start, until):
            running += per_month.get(date(day.year, day.month, 1), Decimal("0"))
            points.append((day, float(running)))

    chart = pygal.DateLine(
        js=[],
        disable_xml_declaration=True,
        width=800,
        height=360,
        style=CHART_STYLE,
        show_dots=len(points) <= 40,
        dots_size=2,
        x_label_rotation=30,
        legend_at_bottom=True,
        include_x_axis=True,
        x_value_formatter=lambda d: d.strftime("%Y-%m"),
        value_formatter=format_sek,
        title=_("Cumulative outcome against budget"),
    )
    chart.add(_("Budget (straight line)"), [(start, 0.0), (end, float(budget_total))])
    chart.add(_("Outcome, cumulative"), points)
    return svg_without_scripts(chart)


def svg_without_scripts(chart) -> str:
    """pygal always embeds a small configuration <script> for its tooltips; the pages'
    Content Security Policy forbids inline scripts and a PDF has no use for them."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, encoding="unicode")
