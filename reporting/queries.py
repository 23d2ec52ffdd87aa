"""Reads of the reporting app that pages share."""

from partnership.models import ReportingDeadline

from .models import Report, Standing


def deadline_overview(agreements, today) -> list:
    """Every deadline of ``agreements`` (the front page's list), soonest first, each with
    ``agreement`` (one of ``agreements``), ``report`` (or None) and ``standing`` on ``today``.
    One query whatever the number of agreements."""
    by_id = {a.pk: a for a in agreements}
    if not by_id:
        return []
    deadlines = (
        ReportingDeadline.objects.filter(agreement__in=list(by_id))
        .select_related("report")
        # The columns the overview shows: not the reports' texts and frozen figures.
        .only("agreement_id", "kind", "period_start", "period_end", "due_date", "report__status")
        .order_by("due_date", "pk")
    )
    rows = []
    for deadline in deadlines:
        deadline.agreement = by_id[deadline.agreement_id]
        report = getattr(deadline, "report", None)
        status = report.status if report else Report.Status.DRAFT
        deadline.standing = Standing.of_status(status, deadline.due_date, today)
        rows.append(deadline)
    return rows
