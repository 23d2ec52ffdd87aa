"""An iCalendar (RFC 5545) feed of reporting deadlines, written with the ``icalendar``
library: all-day events, text escaped, lines folded at 75 octets and ended with CRLF, as
Outlook expects. Names come from user text and pass ``core.text.one_line`` first."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.text import one_line, shorten

from .models import Standing


def deadlines_calendar(
    reports, *, host: str, url_for, today, action_items=(), action_item_url=None
) -> bytes:
    """``reports`` with ``deadline__agreement`` loaded; ``url_for(report)`` an absolute URL;
    ``action_items`` (with ``agreement`` loaded) the open ones with a due date, each an event
    on that date linking to ``action_item_url(item)``."""
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//IOP administration//Reporting deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("IOP reporting deadlines"))
    for report in reports:
        deadline = report.deadline
        agreement = deadline.agreement
        standing = Standing.LABELS[Standing.of(report, today)]
        summary = _("%(kind)s due: %(agreement)s") % {
            "kind": deadline.get_kind_display(),
            "agreement": agreement.short_name,
        }
        description = _("%(title)s. Period %(start)s – %(end)s. Status: %(status)s.") % {
            "title": agreement.title,
            "start": deadline.period_start.isoformat(),
            "end": deadline.period_end.isoformat(),
            "status": standing,
        }
        event = Event()
        event.add("uid", f"iop-deadline-{deadline.pk}@{one_line(host)}")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_date)
        event.add("dtend", deadline.due_date + timedelta(days=1))
        event.add("summary", one_line(summary))
        event.add("description", one_line(description))
        event.add("url", url_for(report))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for item in action_items:
        event = Event()
        event.add("uid", f"iop-action-item-{item.pk}@{one_line(host)}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due_date)
        event.add("dtend", item.due_date + timedelta(days=1))
        summary = _("Action item due: %(text)s (%(agreement)s)") % {
            "text": shorten(item.text, 120),
            "agreement": item.agreement.short_name,
        }
        event.add("summary", one_line(summary))
        event.add("url", action_item_url(item))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
