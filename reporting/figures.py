"""The figures of a report, as one JSON-serialisable dict so that submission can freeze it.

``report_figures(report)`` or ``report_figures((agreement, start, end))``. Everything is
summed in the database; a call issues a bounded number of queries whatever the amount of data.
Budget figures come from ``finance.budget.budget_figures``, the budget chart from
``finance.charts``, expected opening days from ``visits.calendar``.

Values are plain JSON: dates as ISO strings, kronor as whole ``int``, hours and shares as
``float``, codes (activity type, gender, party role) as codes, translated when rendered, so a
frozen snapshot renders in either language.

**Small counts.** Every count about people (visits by week and by age band and gender,
participants, coupons, hostel nights, referrals) passes ``reporting.disclosure``: a count of
1–4 shows as "< 5", and complementary suppression ("x") keeps it from being worked out from
the other figures of the report. The figures hold only what is shown, so a frozen snapshot,
its CSV and its PDF publish nothing more.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, ExtractIsoYear, ExtractWeek
from django.utils import timezone

from core.text import shorten
from dialogue.models import ActionItem, Decision, LearningEntry, Meeting
from finance.budget import basis, budget_figures, line_figures
from finance.charts import cumulative_outcome_chart_svg
from finance.models import InKindContribution, Payment
from partnership.models import Agreement, Commitment, Indicator
from visits.calendar import expected_opening_days
from visits.models import (
    Activity,
    AgeBand,
    Gender,
    PartnerOrganisation,
    Session,
    Venue,
    VisitorCount,
)

from .disclosure import Publication, threshold
from .models import IndicatorValue

ZERO = Decimal("0")
_HOURS = DecimalField(max_digits=12, decimal_places=1)


def flagged_lines(figures: dict) -> list[dict]:
    """The budget lines a report's figures flag as deviating (each with ``pk`` and ``text``)."""
    money = figures.get("close_out") or figures["budget"]
    return [line for line in money["lines"] if line["flagged"]]


def report_figures(report_or_period) -> dict:
    """The figures of a report (or of ``(agreement, start, end)``) as a JSON-ready dict."""
    if isinstance(report_or_period, tuple):
        agreement, start, end = report_or_period
        deadline = None
    else:
        deadline = report_or_period.deadline
        agreement, start, end = deadline.agreement, deadline.period_start, deadline.period_end
    final = bool(deadline and deadline.kind == "final")
    as_of = min(timezone.localdate(), end)
    if deadline and deadline.kind == "close_out":
        return close_out_figures(agreement, deadline, as_of)
    sessions = Session.objects.filter(agreement=agreement, date__gte=start, date__lte=end)
    activities = Activity.objects.filter(agreement=agreement, date__gte=start, date__lte=end)
    figures = {
        "schema": 2,
        "generated_on": timezone.localdate().isoformat(),
        "header": _header(agreement, start, end, deadline) | {"as_of": as_of.isoformat()},
        "visits": _visits(agreement, start, end),
        # Opening days after "as of" have not happened yet: neither expected nor missed.
        "completeness": _completeness(agreement, sessions, start, as_of),
        "activities": _activities(agreement, activities, start, end),
        "support": _support(activities),
        "in_kind": _in_kind(agreement, sessions, activities, start, end),
        "budget": _budget(agreement, start, end, as_of=as_of, final=final),
        "payments": _payments(agreement, as_of),
        "dialogue": _dialogue(agreement, start, end, as_of),
    }
    figures["indicators"] = _indicators(agreement, deadline, figures)
    _mark_approvals(figures["budget"]["lines"], agreement, as_of)
    _protect(figures, activities)
    _visits_per_week(figures, start, as_of)
    return figures


# --- header -----------------------------------------------------------------------------


def _header(agreement: Agreement, start, end, deadline) -> dict:
    parties = [
        {
            "name": p.organisation.name,
            "org_number": p.organisation.org_number,
            "role": p.role,
        }
        for p in agreement.parties.select_related("organisation")
    ]
    return {
        "title": agreement.title,
        "short_name": agreement.short_name,
        "case_number": agreement.case_number,
        "agreement_start": agreement.start_date.isoformat(),
        "agreement_end": agreement.end_date.isoformat(),
        "parties": parties,
        "kind": deadline.kind if deadline else "",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "due_date": deadline.due_date.isoformat() if deadline else "",
        "budget_total": int(agreement.budget_total),
    }


# --- visits -----------------------------------------------------------------------------


def iso_weeks(start: date, end: date) -> list[tuple[int, int]]:
    """Every ISO (year, week) touched by [start, end], in order."""
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        year, week, _ = monday.isocalendar()
        weeks.append((year, week))
        monday += timedelta(days=7)
    return weeks


def _visits(agreement, start, end) -> dict:
    counts = VisitorCount.objects.filter(
        session__agreement=agreement, session__date__gte=start, session__date__lte=end
    )
    per_week = {
        (row["year"], row["week"]): row["n"]
        for row in counts.annotate(
            year=ExtractIsoYear("session__date"), week=ExtractWeek("session__date")
        )
        .values("year", "week")
        .annotate(n=Sum("count"))
        .order_by()
    }
    weeks = [
        {"week": f"{y}-W{w:02d}", "visits": int(per_week.get((y, w), 0))}
        for y, w in iso_weeks(start, end)
    ]

    bands = list(AgeBand.objects.filter(agreement=agreement).order_by("order", "pk"))
    genders = list(Gender.values)
    cells = {
        (row["age_band_id"], row["gender"]): int(row["n"])
        for row in counts.values("age_band_id", "gender").annotate(n=Sum("count")).order_by()
    }
    matrix = [[cells.get((band.pk, g), 0) for g in genders] for band in bands]
    table = {
        "rows": [
            {"label": band.label, "cells": row, "total": sum(row)}
            for band, row in zip(bands, matrix, strict=True)
        ],
        "column_totals": [sum(column) for column in zip(*matrix, strict=True)]
        or [0] * len(genders),
        "total": sum(map(sum, matrix)),
        "genders": genders,
    }
    new = Session.objects.filter(agreement=agreement, date__gte=start, date__lte=end).aggregate(
        n=Coalesce(Sum("new_visitors"), 0)
    )["n"]
    return {"per_week": weeks, "table": table, "new_visitors": int(new)}


def _protect(figures, activities) -> None:
    """Replace every count about people in ``figures`` by what may be published of it
    (``reporting.disclosure``), all of them as one publication: the weekly visits add up to
    the table's total, and participants per activity type and per commitment are sums over
    the same activities."""
    publication = Publication()
    visits = figures["visits"]
    table = visits["table"]
    keys = publication.table("visits", [row["cells"] for row in table["rows"]])
    week_keys = publication.series(
        "weeks", [w["visits"] for w in visits["per_week"]], keys["total"]
    )

    # One base count per activity: its participants.
    base_of, by_type, served = {}, {}, {}
    for pk, kind in activities.values_list("pk", "type").order_by():
        base_of[pk] = publication.base()
        by_type.setdefault(kind, []).append(base_of[pk])
    for activity_id, commitment_id in Activity.commitments.through.objects.filter(
        activity__in=activities
    ).values_list("activity_id", "commitment_id"):
        served.setdefault(commitment_id, []).append(base_of[activity_id])
    for row in figures["activities"]["by_type"]:
        publication.figure(("type", row["type"]), row["participants"], by_type[row["type"]])
    for i, row in enumerate(figures["activities"]["commitments"]):
        publication.figure(("commitment", i), row["participants"], served.get(row["pk"], []))
    for name, value in figures["support"].items():
        publication.count(("support", name), value)
    publication.count(("visits", "new"), visits["new_visitors"])
    for i, row in enumerate(figures["indicators"]):
        if row["about_people"] and row["outcome"] is not None:
            publication.count(("indicator", i), row["outcome"])

    shown = publication.protect()
    for row, cells, total in zip(table["rows"], keys["cells"], keys["rows"], strict=True):
        row["cells"] = [shown[k] for k in cells]
        row["total"] = shown[total]
    table["column_totals"] = [shown[k] for k in keys["columns"]]
    table["total"] = shown[keys["total"]]
    figures["disclosure"] = {
        "threshold": threshold(),
        "suppressed": any(isinstance(v, str) for v in shown.values()),
    }
    for week, key in zip(visits["per_week"], week_keys, strict=True):
        week["visits"] = shown[key]
    for row in figures["activities"]["by_type"]:
        row["participants"] = shown[("type", row["type"])]
    for i, row in enumerate(figures["activities"]["commitments"]):
        row["participants"] = shown[("commitment", i)]
        del row["pk"]
    for name in figures["support"]:
        figures["support"][name] = shown[("support", name)]
    visits["new_visitors"] = shown[("visits", "new")]
    for i, row in enumerate(figures["indicators"]):
        if row["about_people"] and row["outcome"] is not None:
            row["outcome"] = shown[("indicator", i)]


# --- completeness -----------------------------------------------------------------------


def _completeness(agreement, sessions, start, end) -> list[dict]:
    venues = list(
        Venue.objects.filter(agreement=agreement)
        .annotate(
            sessions_held=Count(
                "sessions", filter=Q(sessions__date__gte=start, sessions__date__lte=end)
            )
        )
        .prefetch_related("opening_hours")
        .order_by("order", "name")
    )
    held_days: dict[int, set[date]] = {}
    for venue_id, day in sessions.values_list("venue_id", "date").distinct().order_by():
        held_days.setdefault(venue_id, set()).add(day)
    rows = []
    for venue in venues:
        expected = expected_opening_days(venue, start, end)
        if not expected and not venue.sessions_held:
            continue
        held = held_days.get(venue.pk, set())
        missing = [d for d in expected if d not in held]
        rows.append(
            {
                "venue": venue.name,
                "kind": venue.kind,
                "expected_days": len(expected),
                "days_held": len(expected) - len(missing),
                "sessions_held": venue.sessions_held,
                "missing": [d.isoformat() for d in missing],
            }
        )
    return rows


# --- activities -------------------------------------------------------------------------


def _activities(agreement, activities, start, end) -> dict:
    by_type = [
        {"type": row["type"], "count": row["n"], "participants": int(row["p"])}
        for row in activities.values("type")
        .annotate(n=Count("pk"), p=Coalesce(Sum("participants"), 0))
        .order_by("-n", "type")
    ]
    in_period = Q(activities__date__gte=start, activities__date__lte=end)
    commitments = [
        {
            "pk": c.pk,
            "text": c.text,  # whole: a report never cuts a commitment mid-word
            # The table of activities names it by its first line; the follow-up prints it.
            "short": c.short_text,
            "party": c.party.organisation.name,
            "party_role": c.party.role,
            "kind": c.kind,
            "activities": c.n,
            "participants": int(c.p),
        }
        for c in Commitment.objects.filter(agreement=agreement)
        .select_related("party__organisation")
        .annotate(
            n=Count("activities", filter=in_period),
            p=Coalesce(Sum("activities__participants", filter=in_period), 0),
        )
        .order_by("party__order", "party__pk", "order", "pk")
    ]
    partners = [
        {"name": p.name, "activities": p.n}
        for p in PartnerOrganisation.objects.filter(
            activities__agreement=agreement,
            activities__date__gte=start,
            activities__date__lte=end,
        )
        .annotate(n=Count("activities"))
        .order_by("name")
    ]
    return {
        "total": sum(row["count"] for row in by_type),
        "by_type": by_type,
        "commitments": commitments,
        "commitments_without_activity": sum(1 for c in commitments if not c["activities"]),
        "partners": partners,
    }


def _support(activities) -> dict:
    sums = activities.aggregate(
        coupons=Coalesce(Sum("coupons"), 0, output_field=IntegerField()),
        hostel_nights=Coalesce(Sum("hostel_nights"), 0, output_field=IntegerField()),
        referrals=Coalesce(Sum("referrals"), 0, output_field=IntegerField()),
    )
    return {k: int(v) for k, v in sums.items()}


def _in_kind(agreement, sessions, activities, start, end) -> dict:
    session_sums = sessions.aggregate(
        sessions=Count("pk"),
        hours=Coalesce(Sum("volunteer_hours"), ZERO, output_field=_HOURS),
        staff_on_duty=Coalesce(Sum("staff_on_duty"), 0),
        volunteers_on_duty=Coalesce(Sum("volunteers_on_duty"), 0),
    )
    activity_hours = activities.aggregate(
        h=Coalesce(Sum("volunteer_hours"), ZERO, output_field=_HOURS)
    )["h"]
    own = InKindContribution.objects.filter(
        agreement=agreement, date__gte=start, date__lte=end
    ).aggregate(
        volunteer=Coalesce(Sum("hours", filter=Q(kind="volunteer")), ZERO, output_field=_HOURS),
        civil_servant=Coalesce(
            Sum("hours", filter=Q(kind="civil_servant")), ZERO, output_field=_HOURS
        ),
    )
    return {
        "sessions": session_sums["sessions"],
        "session_volunteer_hours": float(session_sums["hours"]),
        "activity_volunteer_hours": float(activity_hours),
        "own_volunteer_hours": float(own["volunteer"]),
        "volunteer_hours": float(session_sums["hours"] + activity_hours + own["volunteer"]),
        "civil_servant_hours": float(own["civil_servant"]),
        # People on duty summed over the sessions (staff and volunteers, not visitors).
        "staff_on_duty": int(session_sums["staff_on_duty"]),
        "volunteers_on_duty": int(session_sums["volunteers_on_duty"]),
    }


# --- money ------------------------------------------------------------------------------


def _share(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _basis(agreement, start, end, as_of) -> dict:
    """Budget (counted by month), outcome, share used and share of time elapsed per line for
    ``[start, end]`` as of ``as_of``, with the payments of the range."""
    b = basis(agreement, start, end, as_of)
    return {
        "start": b.start.isoformat(),
        "end": b.end.isoformat(),
        "elapsed_share": _share(b.elapsed_share),
        "lines": [
            {
                "text": line.text,
                "budget": int(budget),
                "outcome": int(line.outcome),
                "share_used": _share(used),
            }
            for line, budget, used in b.rows()
        ],
        "budget_total": int(b.budget_total),
        "outcome_total": int(b.outcome_total),
        "share_used": _share(b.share_used),
        "payments_total": int(b.payments_total),
    }


def _budget(agreement, start, end, *, as_of, final) -> dict:
    """The money on two bases, labelled: the period's own (its budget, by month, against its
    outcome) and the cumulative since the agreement started (the budget up to the period's
    end against the outcome so far); and per line for the whole agreement against the
    outcome counted up to ``as_of`` (the period's end, or today while the period runs),
    forecast to the agreement's end at the current rate (``finance.budget``)."""
    figures = budget_figures(agreement, as_of=as_of)
    return {
        "period": _basis(agreement, start, end, as_of),
        # From the agreement's start the period is the cumulative: one table, not two.
        "cumulative": None
        if start <= agreement.start_date
        else _basis(agreement, agreement.start_date, end, as_of),
        "as_of": figures.as_of.isoformat(),
        "elapsed_share": _share(figures.period_elapsed_share),
        "threshold_percent": agreement.deviation_threshold_percent,
        "lines": [
            {
                "pk": f.line.pk,
                "text": f.line.text,
                "category": f.line.category,
                "budget": int(f.budget),
                "outcome": int(f.outcome),
                "share_used": _share(f.share_used),
                "forecast": int(f.forecast),
                "deviation": int(f.deviation),
                "deviation_share": _share(f.deviation_share),
                "flagged": f.flagged,
            }
            for f in figures.lines
        ],
        "budget_total": int(figures.budget_total),
        "outcome_total": int(figures.outcome_total),
        "forecast_total": int(figures.forecast_total),
        "deviation_total": int(figures.deviation_total),
        "share_used": _share(figures.share_used),
        "payments_total": int(figures.payments_total),
        "balance": int(figures.balance),
        "unused_funds": int(figures.unused_funds),
        "to_repay": int(figures.to_repay),
        "to_repay_forecast": int(figures.to_repay_forecast),
        "final": final,
        # Frozen with the figures so a submitted report keeps the chart it was sent with.
        "chart_svg": cumulative_outcome_chart_svg(agreement, as_of=as_of),
    }


def _payments(agreement, as_of) -> dict:
    payments = Payment.objects.filter(
        agreement=agreement, date__gte=agreement.start_date, date__lte=as_of
    ).order_by("date", "pk")
    rows = [
        {"date": p.date.isoformat(), "amount": int(p.amount), "reference": p.reference}
        for p in payments
    ]
    return {"rows": rows, "total": sum(r["amount"] for r in rows)}


# --- the financial close-out ------------------------------------------------------------


def close_out_figures(agreement, deadline, as_of) -> dict:
    """The money of the whole agreement at its end: per line the budget against the outcome,
    the payments, and what is left or overspent. Counted up to ``as_of`` (the end once it has
    passed). No count about people: nothing here goes through disclosure control.

    * **cash balance** – payments − repaid before − outcome;
    * **unused funds** – the cash balance when positive: paid and not spent, for the parties
      to decide on ("kan antingen återbetalas eller användas för samma eller liknande
      ändamål");
    * **overspend** – minus the cash balance when negative: spent beyond the payments."""
    figures = budget_figures(agreement, as_of=as_of)
    threshold = agreement.deviation_threshold_percent
    lines = []
    for f in figures.lines:
        # The outcome is final: measured as if the whole period had elapsed (no forecast),
        # so the deviation is outcome − budget, flagged by the budget page's own rule.
        final = line_figures(
            f.line,
            budget=f.budget,
            outcome=f.outcome,
            elapsed=Decimal("1"),
            threshold_percent=threshold,
        )
        lines.append(
            {
                "pk": f.line.pk,
                "text": f.line.text,
                "budget": int(final.budget),
                "outcome": int(final.outcome),
                "deviation": int(final.deviation),
                "share_used": _share(final.share_used),
                "flagged": final.flagged,
            }
        )
    cash_balance = figures.payments_total - figures.repaid_total - figures.outcome_total
    money = {
        "ended": as_of >= agreement.end_date,
        "threshold_percent": threshold,
        "lines": lines,
        "budget_total": int(figures.budget_total),
        "outcome_total": int(figures.outcome_total),
        "deviation_total": int(figures.outcome_total - figures.budget_total),
        "share_used": _share(figures.share_used),
        "payments_total": int(figures.payments_total),
        "repaid_before": int(figures.repaid_total),
        "cash_balance": int(cash_balance),
        "unused_funds": int(max(cash_balance, ZERO)),
        "overspend": int(max(-cash_balance, ZERO)),
        "volunteer_hours": float(figures.in_kind["volunteer_hours"]),
        "civil_servant_hours": float(figures.in_kind["civil_servant_hours"]),
    }
    _mark_approvals(money["lines"], agreement, as_of)
    return {
        "schema": 2,
        "generated_on": timezone.localdate().isoformat(),
        "header": _header(agreement, deadline.period_start, deadline.period_end, deadline)
        | {"as_of": as_of.isoformat()},
        "close_out": money,
        "payments": _payments(agreement, as_of),
        "dialogue": _dialogue(agreement, deadline.period_start, deadline.period_end, as_of),
    }


# --- the dialogue -------------------------------------------------------------------------


# What a report prints of the dialogue. A busy period holds any number of meetings,
# decisions, action items and lessons, each text up to its field's maximum, and a PDF costs
# what it prints (issue 17). So a report shows the period's latest meetings with their first
# decisions, the open action items due first and the period's latest lessons, each text cut
# between words after PRINTED_TEXT characters; the dialogue log and the auditor bundle hold
# them all, whole. ``shortened`` says whether anything was left out or cut.
PRINTED = {"meetings": 5, "decisions": 3, "open_action_items": 8, "learning": 6}
PRINTED_TEXT = 300


def _dialogue(agreement, start, end, as_of) -> dict:
    """The period's meetings with their decisions, the action items open on ``as_of`` and
    the period's lessons (``dialogue``), as many and as long as ``PRINTED`` and
    ``PRINTED_TEXT`` allow. The minutes stay in the dialogue log and the auditor bundle;
    the report lists what was decided."""
    decisions = Decision.objects.select_related("budget_line").order_by("pk")
    meetings = list(
        Meeting.objects.filter(agreement=agreement, date__gte=start, date__lte=min(end, as_of))
        .prefetch_related("organisations", Prefetch("decisions", queryset=decisions))
        .order_by("-date", "-pk")[: PRINTED["meetings"] + 1]
    )
    open_items = list(
        ActionItem.objects.filter(agreement=agreement)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of))
        .select_related("party__organisation")
        .order_by("due_date", "pk")[: PRINTED["open_action_items"] + 1]
    )
    learning = list(
        LearningEntry.objects.filter(agreement=agreement, date__gte=start, date__lte=end)
        .select_related("party__organisation")
        .order_by("-date", "-pk")[: PRINTED["learning"] + 1]
    )
    texts = [d.text for m in meetings for d in m.decisions.all()]
    texts += [item.text for item in open_items] + [e.text for e in learning]
    shortened = (
        len(meetings) > PRINTED["meetings"]
        or len(open_items) > PRINTED["open_action_items"]
        or len(learning) > PRINTED["learning"]
        or any(len(m.decisions.all()) > PRINTED["decisions"] for m in meetings)
        or any(len(text) > PRINTED_TEXT for text in texts)
    )
    return {
        "meetings": [
            {
                "date": m.date.isoformat(),
                "kind": m.kind,
                "present": sorted(o.name for o in m.organisations.all()),
                "decisions": [_printed(d.text) for d in m.decisions.all()[: PRINTED["decisions"]]],
            }
            for m in reversed(meetings[: PRINTED["meetings"]])
        ],
        "open_action_items": [
            {
                "text": _printed(item.text),
                "party": item.party.organisation.name,
                "due_date": item.due_date.isoformat() if item.due_date else "",
            }
            for item in open_items[: PRINTED["open_action_items"]]
        ],
        "learning": [
            {
                "date": e.date.isoformat(),
                "theme": e.theme,
                "party": e.party.organisation.name,
                "text": _printed(e.text),
            }
            for e in reversed(learning[: PRINTED["learning"]])
        ],
        "shortened": shortened,
    }


def _printed(text: str) -> str:
    return shorten(text, PRINTED_TEXT)


def _mark_approvals(lines, agreement, as_of) -> None:
    """Give each flagged budget line the decisions (up to ``as_of``) that approved its
    deviation, as the agreement asks before significant deviations: ``approved_by``, a list
    of {date, text}, empty when no decision exists. One query."""
    approvals: dict[int, list] = {}
    for d in (
        Decision.objects.filter(
            meeting__agreement=agreement, meeting__date__lte=as_of, budget_line__isnull=False
        )
        .select_related("meeting")
        .order_by("meeting__date", "pk")
    ):
        approvals.setdefault(d.budget_line_id, []).append(
            {"date": d.meeting.date.isoformat(), "text": _printed(d.text)}
        )
    for line in lines:
        if line["flagged"]:
            line["approved_by"] = approvals.get(line["pk"], [])


# --- goals and indicators ---------------------------------------------------------------

# Sources whose value counts people: published through the disclosure control.
_ABOUT_PEOPLE = {"new_visitors", "referrals", "next_level", "entered"}


def _indicators(agreement, deadline, figures) -> list[dict]:
    """Baseline, target and outcome of each indicator of the agreement's goals for the
    period, read from the figures' own sections before the disclosure control (which then
    protects the counts about people with the rest). Visits per week is filled in after it
    (``_visits_per_week``), from the published total."""
    indicators = list(
        Indicator.objects.filter(goal__agreement=agreement)
        .select_related("goal")
        .order_by("goal__order", "goal__pk", "order", "pk")
    )
    if not indicators:
        return []
    by_type = {row["type"]: row for row in figures["activities"]["by_type"]}
    entered = {}
    if deadline is not None and hasattr(deadline, "report"):
        entered = dict(
            IndicatorValue.objects.filter(report=deadline.report).values_list(
                "indicator_id", "value"
            )
        )
    computed = {
        "new_visitors": figures["visits"]["new_visitors"],
        "referrals": figures["support"]["referrals"],
        "next_level": by_type.get(Activity.Type.NEXT_LEVEL, {}).get("participants", 0),
        "volunteer_hours": figures["in_kind"]["session_volunteer_hours"],
    }
    rows = []
    for ind in indicators:
        if ind.origin == "visits_per_week":
            outcome = None  # from the published visits, below
        elif ind.origin == "activities":
            outcome = by_type.get(ind.activity_type, {}).get("count", 0)
        elif ind.origin == "entered":
            outcome = entered.get(ind.pk)
        else:
            outcome = computed[ind.origin]
        rows.append(
            {
                "pk": ind.pk,
                "goal": ind.goal.text,
                "name": ind.name,
                "unit": ind.unit,
                "source": ind.origin,
                "baseline": None if ind.baseline is None else float(ind.baseline),
                "target": None if ind.target is None else float(ind.target),
                "outcome": outcome,
                "about_people": ind.origin in _ABOUT_PEOPLE,
            }
        )
    return rows


def _visits_per_week(figures, start, as_of) -> None:
    """Visits per week on average over the weeks counted, from the published total: a total
    the disclosure control withheld stays withheld."""
    total = figures["visits"]["table"]["total"]
    weeks = len(iso_weeks(start, max(start, as_of)))
    for row in figures["indicators"]:
        if row["source"] == "visits_per_week":
            row["outcome"] = total if isinstance(total, str) else round(total / weeks, 1)
