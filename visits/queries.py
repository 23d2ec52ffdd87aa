"""Reads of the visits app: filtered lists and their totals, aggregated in the database."""

import datetime
import functools
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from partnership.sqlcache import CompiledQuery, one_row

from .forms import apply_period
from .models import Activity, Gender, Session, VisitorCount

HOURS = DecimalField(max_digits=12, decimal_places=1)


def _visits(filter_q=None):
    return Coalesce(Sum("counts__count", filter=filter_q), Value(0), output_field=IntegerField())


def session_filter(agreement, data) -> tuple:
    """The sessions filter (the filter form's ``data``) as values: agreement, first and last
    day, and the venue only when one is chosen. An open end of the period is the first or
    last day a date can have, so that every filter has the same SQL but for the venue."""
    values = (
        agreement.pk,
        data.get("date_from") or datetime.date.min,
        data.get("date_to") or datetime.date.max,
    )
    return (*values, data["venue"].pk) if data.get("venue") else values


def _filtered_sessions(agreement_pk, first_day, last_day, venue_pk=None):
    qs = Session.objects.filter(agreement_id=agreement_pk, date__gte=first_day, date__lte=last_day)
    return qs if venue_pk is None else qs.filter(venue_id=venue_pk)


def sessions_for(agreement, data):
    """Sessions of ``agreement`` filtered by period and venue (the filter form's ``data``)."""
    return _filtered_sessions(*session_filter(agreement, data))


def with_visits(qs):
    """Sessions with their visit totals, overall and per gender (for the exports, which
    order them themselves; the list page reads a page at a time through ``SessionRows``)."""
    return qs.select_related("venue").annotate(
        visits=_visits(),
        **{f"visits_{g}": _visits(Q(counts__gender=g)) for g in Gender.values},
    )


# The sessions list page: its three reads are compiled once per filter shape (the number
# of filter values: with or without a venue) and page (partnership.sqlcache); they were a
# third of the page's time.


# The kinds of session_filter's values: agreement, first day, last day and maybe a venue.
_FILTER_KINDS = (int, datetime.date, datetime.date, int)


@functools.cache
def _session_totals_query(value_count):
    return CompiledQuery(
        lambda *values: one_row(_filtered_sessions(*values)).annotate(
            sessions=Count("pk"),
            volunteer_hours=Coalesce(Sum("volunteer_hours"), Decimal("0"), output_field=HOURS),
            new_visitors=Coalesce(Sum("new_visitors"), 0),
        ),
        *_FILTER_KINDS[:value_count],
    )


@functools.cache
def _session_visits_query(value_count):
    return CompiledQuery(
        lambda *values: one_row(
            VisitorCount.objects.filter(session__in=_filtered_sessions(*values).values("pk"))
        ).annotate(visits=Coalesce(Sum("count"), 0)),
        *_FILTER_KINDS[:value_count],
    )


def session_totals(values) -> dict:
    """Number of sessions, visits, new visitors and volunteer hours of the sessions that
    ``values`` (``session_filter``) select."""
    totals = _session_totals_query(len(values))(*values)[0]
    totals["visits"] = _session_visits_query(len(values))(*values)[0]["visits"]
    del totals["all"]
    return totals


def _session_visits():
    return Coalesce(
        Subquery(
            one_row(VisitorCount.objects.filter(session=OuterRef("pk")))
            .annotate(total=Sum("count"))
            .values("total")
        ),
        Value(0),
        output_field=IntegerField(),
    )


# What a row of the list shows (visits_tags.session_rows), as named tuples: building 50
# sessions and 50 venues as model objects was a quarter of the page's time.
_SESSION_ROW_FIELDS = (
    "pk",
    "date",
    "start_time",
    "end_time",
    "staff_on_duty",
    "volunteers_on_duty",
    "volunteer_hours",
    "new_visitors",
    "venue_id",
    "venue__name",
    "visits",
)


@functools.lru_cache(maxsize=256)  # a compiled query per filter shape and page in use
def _session_page_query(value_count, start, stop):
    return CompiledQuery(
        lambda *values: (
            _filtered_sessions(*values)
            .annotate(visits=_session_visits())
            .order_by("-date", "-start_time", "venue__name", "pk")
            .values_list(*_SESSION_ROW_FIELDS, named=True)[start:stop]
        ),
        *_FILTER_KINDS[:value_count],
    )


class SessionRows:
    """The sessions that ``values`` (``session_filter``) select, newest first, as a sequence
    of ``count`` rows for a paginator: a slice (one page) is one query. A row is a named
    tuple of ``_SESSION_ROW_FIELDS`` (``row.pk``, ``row.date``, ``row.visits``, …)."""

    def __init__(self, values, count):
        self.values = values
        self.count = count

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("SessionRows are read a page, a slice, at a time")
        start, stop, _step = index.indices(self.count)
        if start >= stop:
            return []
        return _session_page_query(len(self.values), start, stop)(*self.values)


def activities_for(agreement, data):
    qs = apply_period(Activity.objects.filter(agreement=agreement), data)
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("commitment"):
        qs = qs.filter(commitments=data["commitment"])
    return qs


def with_relations(qs):
    """Activities with venue, ``commitment_list`` and ``partner_list``, newest first."""
    return (
        qs.select_related("venue")
        # Into plain lists: a related manager per row and relation cost more than the query.
        .prefetch_related(
            Prefetch("commitments", to_attr="commitment_list"),
            Prefetch("partners", to_attr="partner_list"),
        )
        .order_by("-date", "-pk")
    )


def activity_totals(qs) -> dict:
    return qs.aggregate(
        activities=Count("pk"),
        participants=Coalesce(Sum("participants"), 0),
        coupons=Coalesce(Sum("coupons"), 0),
        hostel_nights=Coalesce(Sum("hostel_nights"), 0),
        referrals=Coalesce(Sum("referrals"), 0),
        volunteer_hours=Coalesce(Sum("volunteer_hours"), Decimal("0"), output_field=HOURS),
    )


def tally_grid(session):
    """Rows of (age band, [(gender value, gender label, count), …]) for the tally screen."""
    counts = {
        (c.age_band_id, c.gender): c.count
        for c in VisitorCount.objects.filter(session=session).only("age_band", "gender", "count")
    }
    return [
        (band, [(g, label, counts.get((band.pk, g), 0)) for g, label in Gender.choices])
        for band in session.agreement.age_bands.all()
    ]
