"""Filters that turn the codes of a figures snapshot into words in the current language."""

from django import template

from core.formatting import format_number
from dialogue.models import LearningEntry, Meeting
from partnership.models import BudgetLine, Commitment, Party, ReportingDeadline
from visits.models import Activity, Gender, Venue

from ..models import CommitmentFollowUp, Standing

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
def meeting_kind(value):
    return _label(Meeting.Kind, value)


@register.filter
def learning_theme(value):
    return _label(LearningEntry.Theme, value)


@register.filter
def follow_up_status(value):
    return _label(CommitmentFollowUp.Status, value)


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


@register.inclusion_tag("reporting/_standing_badge.html")
def standing_badge(standing):
    """Where a report stands, as a coloured badge with its label in the current language."""
    return {
        "badge": Standing.BADGES.get(standing, "text-bg-light border"),
        "label": Standing.LABELS.get(standing, standing),
    }
