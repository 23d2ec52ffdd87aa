"""Reads of the visits app: filtered lists and their totals, aggregated in the database."""

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

from partnership.access import STAFF, user_organisation, user_roles
from partnership.models import Party

from .forms import apply_period
from .models import Activity, Gender, Session, Venue, VisitorCount

HOURS = DecimalField(max_digits=12, decimal_places=1)


def _visits(filter_q=None):
    return Coalesce(Sum("counts__count", filter=filter_q), Value(0), output_field=IntegerField())


def sessions_for(agreement, data):
    """Sessions of ``agreement`` filtered by period and venue (the filter form's ``data``)."""
    qs = apply_period(Session.objects.filter(agreement=agreement), data)
    if data.get("venue"):
        qs = qs.filter(venue=data["venue"])
    return qs


def with_visits(qs):
    """Sessions with their visit totals, overall and per gender (for the exports)."""
    return qs.select_related("venue").annotate(
        visits=_visits(),
        **{f"visits_{g}": _visits(Q(counts__gender=g)) for g in Gender.values},
    )


def session_totals(qs) -> dict:
    """Number of sessions, visits, new visitors and volunteer hours of the sessions ``qs``."""
    totals = qs.aggregate(
        sessions=Count("pk"),
        volunteer_hours=Coalesce(Sum("volunteer_hours"), Decimal("0"), output_field=HOURS),
        new_visitors=Coalesce(Sum("new_visitors"), 0),
    )
    # Summed apart: joined to the counts, the sessions' own sums would be multiplied.
    totals["visits"] = VisitorCount.objects.filter(session__in=qs.values("pk")).aggregate(
        visits=Coalesce(Sum("count"), 0)
    )["visits"]
    return totals


def session_rows(qs):
    """The sessions list's rows, newest first: each session with its venue and ``visits``
    (summed in a subquery, so that a page is one query)."""
    visits = (
        VisitorCount.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return (
        qs.select_related("venue")
        .annotate(visits=Coalesce(Subquery(visits), 0))
        .order_by("-date", "-start_time", "venue__name", "pk")
    )


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


def today_venues(user, agreements, today) -> list:
    """(agreement, venue) pairs for the front page's one-tap "count today" buttons: the
    active venues open on ``today`` of those of ``agreements`` that run on ``today`` and
    where the user's organisation is the idea-driven party, for staff only. One query."""
    organisation = user_organisation(user)
    if organisation is None or STAFF not in user_roles(user):
        return []
    running = {a.pk: a for a in agreements if a.start_date <= today <= a.end_date}
    if not running:
        return []
    # One opening-hours row per venue and weekday, one party per organisation and
    # agreement (unique constraints): no venue twice.
    venues = (
        Venue.objects.filter(
            agreement__in=list(running),
            agreement__parties__organisation=organisation,
            agreement__parties__role=Party.Role.IDEA_DRIVEN,
            is_active=True,
            opening_hours__weekday=today.weekday(),
        )
        .only("agreement_id", "name", "order")
        .order_by("order", "name")
    )
    rows = [(running[venue.agreement_id], venue) for venue in venues]
    rows.sort(key=lambda row: row[0].title)  # stable: venues stay in order within each
    return rows
