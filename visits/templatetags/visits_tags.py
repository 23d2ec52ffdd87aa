from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from partnership.access import STAFF, user_organisation, user_roles
from partnership.formatting import format_hours, format_number
from partnership.links import escaped_url_for_pk
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
    venues open today of those of ``agreements`` (the home page's list) that run today and
    where the user's organisation is the idea-driven party (the venue query asks that) and
    the user is staff. One query, for the venues; the agreements are the page's own."""
    organisation = user_organisation(user)
    if organisation is None or STAFF not in user_roles(user):
        return []
    day = timezone.localdate()
    running = {a.pk: a for a in agreements if a.start_date <= day <= a.end_date}
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
# localised and escaped) and ``format_html`` still 60 µs. Every text from the database goes
# through ``html.escape``, which is what Django's ``escape`` filter calls: the venue's name
# once per venue, the links' URL patterns once per page (a key is digits).


@register.simple_tag
def session_rows(sessions, can_write):
    """The ``<tr>`` rows of the sessions list for ``sessions`` (rows of
    ``visits.queries.SessionRows``); the links to count, edit and delete only when
    ``can_write``."""
    count, edit, delete = (escape(str(label)) for label in (_("Count"), _("Edit"), _("Delete")))
    tally_url, edit_url, delete_url = (
        escaped_url_for_pk(name)
        for name in ("visits:tally", "visits:session_edit", "visits:session_delete")
    )
    venue_names = {}
    rows = []
    for s in sessions:
        venue = venue_names.get(s.venue_id)
        if venue is None:
            venue = venue_names[s.venue_id] = escape(s.venue__name)
        day = s.date.isoformat()
        start = f"{s.start_time:%H:%M}"
        actions = ""
        if can_write:
            label = f"{venue} {day} {start}"  # as str(session), escaped
            actions = (
                '<td class="text-nowrap">'
                f'<a href="{tally_url(s.pk)}">{count}'
                f'<span class="visually-hidden"> {label}</span></a> · '
                f'<a href="{edit_url(s.pk)}">{edit}'
                f'<span class="visually-hidden"> {label}</span></a> · '
                f'<a href="{delete_url(s.pk)}">{delete}'
                f'<span class="visually-hidden"> {label}</span></a></td>'
            )
        rows.append(
            f'<tr><td class="text-nowrap">{day}</td>'
            f"<td>{venue}</td>"
            f'<td class="text-nowrap">{start}–{s.end_time:%H:%M}</td>'
            f'<td class="num">{format_number(s.visits)}</td>'
            f'<td class="num">{format_number(s.new_visitors)}</td>'
            f'<td class="num">{int(s.staff_on_duty)}</td>'
            f'<td class="num">{int(s.volunteers_on_duty)}</td>'
            f'<td class="num">{format_hours(s.volunteer_hours)}</td>{actions}</tr>\n'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text from the database is escaped
