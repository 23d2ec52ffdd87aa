"""The agreement's life at a glance: a timeline of dated entries, each a link, in date order.

This app fills in what it owns (the signing and the period, changes of status, amendments and
extensions, the predecessor and the renewals). Apps higher up add theirs with ``register`` in
their ``AppConfig.ready`` (reporting: reports submitted, approved and returned, the financial
close-out), as for the approval locks; this app imports none of them. Each source reads with
a fixed number of queries, so the timeline costs the same however long the agreement's life.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AmendmentChange


@dataclass(frozen=True)
class Entry:
    day: date
    label: str
    url: str
    kind: str  # "signing", "start", "status", "amendment", "extension", "report", "renewal", "end"
    order: int = 0  # among entries of the same day


SOURCES = []


def register(source):
    """Add ``source(agreement) -> iterable of Entry`` to every agreement's timeline."""
    if source not in SOURCES:
        SOURCES.append(source)


def local_day(moment) -> date:
    return timezone.localdate(moment) if isinstance(moment, datetime) else moment


def as_of_url(agreement, day) -> str:
    url = reverse("partnership:agreement_as_of", args=[agreement.pk])
    return f"{url}?date={day.isoformat()}"


def _agreement_entries(agreement):
    detail = reverse("partnership:agreement_detail", args=[agreement.pk])
    if agreement.signing_date:
        yield Entry(
            agreement.signing_date,
            _("The agreement is signed"),
            as_of_url(agreement, agreement.signing_date),
            "signing",
        )
    yield Entry(
        agreement.start_date,
        _("The agreement's period starts"),
        as_of_url(agreement, agreement.start_date),
        "start",
        1,
    )
    yield Entry(agreement.end_date, _("The agreement's period ends"), detail, "end", 9)
    for change in agreement.status_changes.all():
        day = local_day(change.changed_at)
        yield Entry(
            day,
            _("Status: %(change)s") % {"change": change},
            as_of_url(agreement, day),
            "status",
            2,
        )
    extends = AmendmentChange.objects.filter(
        amendment=OuterRef("pk"),
        kind=AmendmentChange.Kind.PERIOD,
        field="end_date",
        date_after__gt=F("date_before"),
    )
    for amendment in agreement.amendments.annotate(extends=Exists(extends)):
        url = reverse("partnership:amendment_detail", args=[amendment.pk])
        if amendment.extends:
            label = _("Extension: %(amendment)s") % {"amendment": amendment}
        else:
            label = str(amendment)
        yield Entry(
            amendment.date, label, url, "extension" if amendment.extends else "amendment", 3
        )
    if agreement.renews_id:
        predecessor = agreement.renews
        yield Entry(
            agreement.start_date,
            _("Renews %(agreement)s") % {"agreement": predecessor},
            predecessor.get_absolute_url(),
            "renewal",
        )
    for renewal in agreement.renewals.all():
        yield Entry(
            renewal.start_date,
            _("Renewed by %(agreement)s") % {"agreement": renewal},
            renewal.get_absolute_url(),
            "renewal",
            8,
        )


register(_agreement_entries)


def timeline(agreement) -> list[Entry]:
    """Every source's entries for ``agreement``, in date order."""
    entries = [entry for source in SOURCES for entry in source(agreement)]
    return sorted(entries, key=lambda e: (e.day, e.order))
