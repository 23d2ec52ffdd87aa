"""Filters that turn the codes of a figures snapshot into words in the current language."""

from django import template
from django.utils.html import format_html

from partnership.formatting import format_number
from partnership.models import BudgetLine, Commitment, Party, ReportingDeadline
from partnership.sqlcache import CompiledQuery
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


# Every deadline of the agreements an organisation is party to, with the status of its
# report if there is one, soonest first. Compiled once (partnership.sqlcache).
_deadlines_of_organisation = CompiledQuery(
    lambda organisation_pk: (
        ReportingDeadline.objects.filter(
            # One party per organisation and agreement (a unique constraint): no repeats.
            agreement__parties__organisation_id=organisation_pk
        )
        .select_related("report")
        # The columns the overview shows: not the reports' texts and frozen figures.
        .only("agreement_id", "kind", "period_start", "period_end", "due_date", "report__status")
        .order_by("due_date", "pk")
    ),
    int,
)


@register.simple_tag
def deadline_overview(organisation, agreements, today):
    """The home page's rows for every deadline of ``agreements`` (those ``organisation`` is
    party to), soonest first: the deadline with ``kind_label``, ``standing``, ``link`` (the
    report, or the agreement's report list when the report is not created yet, which creates
    it) and ``pdf_link`` (or None). One query whatever the number of agreements; nothing is
    written."""
    from partnership.links import url_for_pk
    from reporting.models import Report, Standing

    by_id = {a.pk: a for a in agreements}
    if not by_id:
        return []
    deadlines = [d for d in _deadlines_of_organisation(organisation.pk) if d.agreement_id in by_id]
    report_url = url_for_pk("reporting:report_detail")
    pdf_url = url_for_pk("reporting:report_pdf")
    list_url = url_for_pk("reporting:report_list")
    rows = []
    for deadline in deadlines:
        deadline.agreement = by_id[deadline.agreement_id]
        report = getattr(deadline, "report", None)
        status = report.status if report else Report.Status.DRAFT
        deadline.standing = Standing.of_status(status, deadline.due_date, today)
        deadline.kind_label = deadline_kind(deadline.kind)
        deadline.link = report_url(report.pk) if report else list_url(deadline.agreement_id)
        deadline.pdf_link = pdf_url(report.pk) if report else None
        rows.append(deadline)
    return rows


@register.simple_tag
def standing_badge(standing):
    """Where a report stands, as a coloured badge with its label in the current language."""
    from reporting.models import Standing

    return format_html(
        '<span class="badge {}">{}</span>',
        Standing.BADGES.get(standing, "text-bg-light border"),
        Standing.LABELS.get(standing, standing),
    )
