"""An iCalendar (RFC 5545) feed of reporting deadlines, written by hand: all-day events,
CRLF line endings, text escaped and lines folded at 75 octets, as Outlook expects."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Standing


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    out, current = [], b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b" " + encoded
            limit = 75
        else:
            current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def deadlines_calendar(reports, *, host: str, url_for, today) -> bytes:
    """``reports`` with ``deadline__agreement`` loaded; ``url_for(report)`` an absolute URL."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = _("IOP reporting deadlines")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//IOP administration//Reporting deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
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
        lines += [
            "BEGIN:VEVENT",
            f"UID:iop-deadline-{deadline.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.due_date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{url_for(report)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
