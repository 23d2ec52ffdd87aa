"""What the report template needs, built from a figures dict (live or frozen) and a narrative."""

from django.utils.safestring import mark_safe

from .charts import weekly_visits_svg
from .models import NARRATIVE_FIELDS, Report


def narrative_sections(narrative: dict | None):
    """(heading, text) for each narrative section, in order."""
    narrative = narrative or {}
    return [
        (Report._meta.get_field(name).verbose_name, narrative.get(name, ""))
        for name in NARRATIVE_FIELDS
    ]


def report_context(*, figures: dict, narrative: dict | None, report=None, version=None) -> dict:
    return {
        "report": report,
        "version": version,
        "figures": figures,
        "narrative_sections": narrative_sections(narrative),
        "visits_chart": mark_safe(weekly_visits_svg(figures["visits"]["per_week"])),  # noqa: S308 - built from numbers, text escaped
        "budget_chart": mark_safe(figures["budget"].get("chart_svg", "")),  # noqa: S308 - our own SVG, frozen with the figures
    }
