"""What the report template needs, built from a figures dict (live or frozen) and a narrative."""

import base64

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.charts import svg_for_print

from .charts import indicator_svg, weekly_visits_svg
from .figures import flagged_lines
from .models import NARRATIVE_FIELDS, FundsDecision, Report


def narrative_sections(narrative: dict | None, *, close_out=False):
    """(heading, text, field name) for each narrative section the report has, in order."""
    narrative = narrative or {}
    sections = []
    for name in NARRATIVE_FIELDS:
        if name in narrative:
            heading = Report._meta.get_field(name).verbose_name
            if close_out and name == "summary":
                heading = _("Comment on the financial outcome")
            sections.append((heading, narrative[name], name))
    return sections


def funds_decision(narrative: dict | None) -> dict:
    """The close-out's decision on the funds, labelled."""
    narrative = narrative or {}
    code = narrative.get("funds_decision", "")
    return {
        "code": code,
        "label": FundsDecision(code).label if code in FundsDecision.values else "",
        "text": narrative.get("funds_decision_text", ""),
        "repayment_amount": narrative.get("repayment_amount"),
        "repayment_date": narrative.get("repayment_date", ""),
    }


def follow_ups(figures: dict, narrative: dict | None) -> list[dict]:
    """Each commitment's follow-up (from the narrative) with the activities logged for it in
    the period beside it (from the figures)."""
    logged = {c["text"]: c for c in figures["activities"]["commitments"]}
    return [
        row
        | {
            "activities": logged.get(row["commitment"], {}).get("activities", 0),
            "participants": logged.get(row["commitment"], {}).get("participants", 0),
        }
        for row in (narrative or {}).get("follow_ups", [])
    ]


def svg_data_uri(svg: str) -> str:
    """The SVG as a data URI, for print (``core.charts.svg_for_print``): the PDF takes charts
    as images, which WeasyPrint draws with its SVG renderer rather than through the HTML
    cascade."""
    if not svg:
        return ""
    printed = svg_for_print(svg).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(printed).decode("ascii")


def report_context(
    *, figures: dict, narrative: dict | None, report=None, version=None, pdf=False
) -> dict:
    # Each line these figures flag, with its reason and the decisions that approved it (a
    # reason written for a line that is on budget again is kept, not shown).
    reason_of = {r["line"]: r["reason"] for r in (narrative or {}).get("line_reasons", [])}
    reasons = [
        {
            "line": line["text"],
            "reason": reason_of.get(line["text"], ""),
            "approved_by": line.get("approved_by"),
        }
        for line in flagged_lines(figures)
    ]
    if "close_out" in figures:
        return {
            "report": report,
            "version": version,
            "figures": figures,
            "body_template": "reporting/close_out_body.html",
            "narrative_sections": narrative_sections(narrative, close_out=True),
            "decision": funds_decision(narrative),
            "line_reasons": reasons,
            "pdf": pdf,
        }
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
        "body_template": "reporting/report_body.html",
        "follow_ups": follow_ups(figures, narrative),
        "narrative_sections": narrative_sections(narrative),
        "line_reasons": reasons,
        "pdf": pdf,
    }
    charts = [indicator_svg(row) for row in figures.get("indicators", [])]
    context["indicators"] = [
        (row, svg_data_uri(svg) if pdf else mark_safe(svg))  # noqa: S308 - pygal escapes
        for row, svg in zip(figures.get("indicators", []), charts, strict=True)
    ]
    if pdf:
        context["visits_chart_uri"] = svg_data_uri(visits_svg)
        context["budget_chart_uri"] = svg_data_uri(budget_svg)
    else:
        # Charts drawn by core.charts (pygal escapes every text) from numbers, or the budget
        # chart frozen with the figures: no user markup reaches the page unescaped.
        context["visits_chart"] = mark_safe(visits_svg)  # noqa: S308
        context["budget_chart"] = mark_safe(budget_svg)  # noqa: S308
    return context
