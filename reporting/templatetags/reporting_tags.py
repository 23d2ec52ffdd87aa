"""Filters that turn the codes of a figures snapshot into words in the current language."""

from django import template

from partnership.formatting import format_number
from partnership.models import BudgetLine, Commitment, Party, ReportingDeadline
from visits.models import Activity, Gender, Venue

register = template.Library()


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value


@register.filter
def activity_type(value):
    return _label(Activity.Type, value)


@register.filter
def gender(value):
    return _label(Gender, value)


@register.filter
def party_role(value):
    return _label(Party.Role, value)


@register.filter
def deadline_kind(value):
    return _label(ReportingDeadline.Kind, value)


@register.filter
def commitment_kind(value):
    return _label(Commitment.Kind, value)


@register.filter
def budget_category(value):
    return _label(BudgetLine.Category, value)


@register.filter
def venue_kind(value):
    return _label(Venue.Kind, value)


@register.filter
def cell(value):
    """A count as shown in a table: a number, or "< 5" / "x" when suppressed."""
    if isinstance(value, str):
        return value
    return format_number(value)


@register.filter
def hours(value):
    """12.5 → "12,5"; whole hours without decimals."""
    if value is None:
        return "–"
    value = float(value)
    if value.is_integer():
        return format_number(value)
    return f"{value:.1f}".replace(".", ",")


@register.simple_tag
def deadline_overview(agreements, today):
    """(deadline, report or None, standing) for every deadline of these agreements, soonest
    first. One query whatever the number of agreements; nothing is written (a deadline whose
    report is not created yet links to the agreement's report list, which creates it)."""
    from partnership.models import ReportingDeadline
    from reporting.models import Report, Standing

    ids = [a.pk for a in agreements]
    if not ids:
        return []
    deadlines = (
        ReportingDeadline.objects.filter(agreement_id__in=ids)
        .select_related("agreement", "report")
        .order_by("due_date", "pk")
    )
    rows = []
    for deadline in deadlines:
        report = getattr(deadline, "report", None)
        status = report.status if report else Report.Status.DRAFT
        rows.append((deadline, report, Standing.of_status(status, deadline.due_date, today)))
    return rows


@register.simple_tag
def standing_labels():
    from reporting.models import Standing

    return Standing.LABELS
