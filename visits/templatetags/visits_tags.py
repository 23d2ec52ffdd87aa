from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from partnership.access import STAFF, user_organisation, user_roles
from partnership.formatting import format_number
from partnership.models import Party
from visits.models import Venue

register = template.Library()


@register.simple_tag
def today_venues(user):
    """(agreement, venue) pairs for the home page's one-tap "count today" buttons: the active
    venues open today of the running agreements where the user is staff. One query, of the
    columns the buttons show (not the agreement's long texts)."""
    organisation = user_organisation(user)
    if organisation is None or STAFF not in user_roles(user):
        return []
    day = timezone.localdate()
    venues = (
        Venue.objects.filter(
            is_active=True,
            opening_hours__weekday=day.weekday(),
            agreement__start_date__lte=day,
            agreement__end_date__gte=day,
            agreement__parties__organisation=organisation,
            agreement__parties__role=Party.Role.IDEA_DRIVEN,
        )
        .select_related("agreement")
        .only("name", "order", "agreement__title", "agreement__short_name")
        .distinct()
        .order_by("agreement__title", "order", "name")
    )
    return [(v.agreement, v) for v in venues]


# The rows of the sessions list are built here rather than in the template: a page has 50
# rows, and the template engine spent about 150 µs a row (20 variables, each looked up,
# localised and escaped) and ``format_html`` still 60 µs. Every value from the database goes
# through ``html.escape``, which is what Django's ``escape`` filter calls.


@register.simple_tag
def session_rows(sessions, can_write):
    """The ``<tr>`` rows of the sessions list for ``sessions`` (with ``visits`` and ``links``
    set, see ``visits.views.session_list``); the action links only when ``can_write``."""
    count, edit, delete = (escape(str(label)) for label in (_("Count"), _("Edit"), _("Delete")))
    rows = []
    for s in sessions:
        actions = ""
        if can_write:
            label, links = escape(str(s)), s.links
            actions = (
                '<td class="text-nowrap">'
                f'<a href="{escape(links["tally"])}">{count}'
                f'<span class="visually-hidden"> {label}</span></a> · '
                f'<a href="{escape(links["edit"])}">{edit}'
                f'<span class="visually-hidden"> {label}</span></a> · '
                f'<a href="{escape(links["delete"])}">{delete}'
                f'<span class="visually-hidden"> {label}</span></a></td>'
            )
        rows.append(
            f'<tr><td class="text-nowrap">{s.date.isoformat()}</td>'
            f"<td>{escape(s.venue.name)}</td>"
            f'<td class="text-nowrap">{s.hours}</td>'
            f'<td class="num">{format_number(s.visits)}</td>'
            f'<td class="num">{format_number(s.new_visitors)}</td>'
            f'<td class="num">{int(s.staff_on_duty)}</td>'
            f'<td class="num">{int(s.volunteers_on_duty)}</td>'
            f'<td class="num">{format_number(s.volunteer_hours)}</td>{actions}</tr>\n'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value from the database is escaped
