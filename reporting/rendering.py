"""What the report template needs, built from a figures dict (live or frozen) and a narrative."""

import base64

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .charts import weekly_visits_svg
from .models import NARRATIVE_FIELDS, Report


def narrative_sections(narrative: dict | None):
    """(heading, text) for each narrative section, in order."""
    narrative = narrative or {}
    return [
        (Report._meta.get_field(name).verbose_name, narrative.get(name, ""))
        for name in NARRATIVE_FIELDS
    ]


def svg_data_uri(svg: str) -> str:
    """The SVG as a data URI: the PDF takes charts as images, which WeasyPrint draws with its
    SVG renderer rather than through the HTML cascade."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def report_context(
    *, figures: dict, narrative: dict | None, report=None, version=None, pdf=False
) -> dict:
    visits_svg = weekly_visits_svg(figures["visits"]["per_week"])
    budget_svg = figures["budget"].get("chart_svg", "")
    budget = figures["budget"]
    context = {
        "report": report,
        "version": version,
        "figures": figures,
        # The money on both bases, labelled in the reader's language.
        "budget_bases": [
            (label, budget[key])
            for label, key in (
                (_("This period:"), "period"),
                (_("Since the agreement started (cumulative):"), "cumulative"),
            )
            if budget.get(key)
        ],
        "narrative_sections": narrative_sections(narrative),
        "pdf": pdf,
    }
    if pdf:
        context["visits_chart_uri"] = svg_data_uri(visits_svg)
        context["budget_chart_uri"] = svg_data_uri(budget_svg)
    else:
        # Charts drawn by core.charts (pygal escapes every text) from numbers, or the budget
        # chart frozen with the figures: no user markup reaches the page unescaped.
        context["visits_chart"] = mark_safe(visits_svg)  # noqa: S308
        context["budget_chart"] = mark_safe(budget_svg)  # noqa: S308
    return context
