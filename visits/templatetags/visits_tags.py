from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from partnership.access import STAFF, user_organisation, user_roles
from partnership.formatting import format_hours, format_number
from partnership.models import Party
from partnership.sqlcache import CompiledQuery
from visits.models import Venue

register = template.Library()


# The active venues open on a weekday of the agreements where an organisation is the
# idea-driven party. One opening-hours row per venue and weekday and one party per
# organisation and agreement (unique constraints): no repeats. Compiled once (sqlcache).
_venues_open_on = CompiledQuery(
    lambda organisation_pk, weekday: Venue.objects.filter(
        agreement__parties__organisation_id=organisation_pk,
        agreement__parties__role=Party.Role.IDEA_DRIVEN,
        is_active=True,
        opening_hours__weekday=weekday,
    ).only("agreement_id", "name", "order"),
    int,
    int,
)


@register.simple_tag
def today_venues(user, agreements):
    """(agreement, venue) pairs for the home page's one-tap "count today" buttons: the active
    venues open today of those of ``agreements`` (the home page's list, with ``party_list``)
    that run today and where the user is staff of the idea-driven party. One query, for the
    venues; the agreements and their parties are the page's own."""
    organisation = user_organisation(user)
    if organisation is None or STAFF not in user_roles(user):
        return []
    day = timezone.localdate()
    running = {
        agreement.pk: agreement
        for agreement in agreements
        if agreement.start_date <= day <= agreement.end_date
        and any(
            party.organisation_id == organisation.pk and party.role == Party.Role.IDEA_DRIVEN
            for party in agreement.party_list
        )
    }
    if not running:
        return []
    venues = _venues_open_on(organisation.pk, day.weekday())
    rows = [
        (running[venue.agreement_id], venue) for venue in venues if venue.agreement_id in running
    ]
    rows.sort(key=lambda row: (row[0].title, row[1].order, row[1].name))
    return rows


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
            f'<td class="num">{format_hours(s.volunteer_hours)}</td>{actions}</tr>\n'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value from the database is escaped
