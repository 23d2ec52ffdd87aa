"""Reads of the visits app: filtered lists and their totals, aggregated in the database."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce

from .forms import apply_period
from .models import Activity, Gender, Session, VisitorCount

HOURS = DecimalField(max_digits=12, decimal_places=1)


def _visits(filter_q=None):
    return Coalesce(Sum("counts__count", filter=filter_q), Value(0), output_field=IntegerField())


def sessions_for(agreement, data):
    """Sessions of ``agreement`` filtered by period and venue, with their visit totals."""
    qs = apply_period(Session.objects.filter(agreement=agreement), data)
    if data.get("venue"):
        qs = qs.filter(venue=data["venue"])
    return qs


def with_visits(qs):
    """Sessions with their visit totals, overall and per gender (for the exports, which
    order them themselves; the list page uses ``ordered_sessions`` and ``attach_visits``)."""
    return qs.select_related("venue").annotate(
        visits=_visits(),
        **{f"visits_{g}": _visits(Q(counts__gender=g)) for g in Gender.values},
    )


def ordered_sessions(qs):
    """The list order of the sessions page, newest first, without aggregation: a page of it
    is read by index before any visits are summed."""
    return qs.select_related("venue").order_by("-date", "-start_time", "venue__name", "pk")


def attach_visits(sessions) -> list:
    """Set ``visits`` on each of ``sessions`` (one page) from one grouped query over just
    those sessions, so a long list costs the same as a short one."""
    sessions = list(sessions)
    totals = dict(
        VisitorCount.objects.filter(session__in=[s.pk for s in sessions])
        .values_list("session")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for session in sessions:
        session.visits = totals.get(session.pk, 0)
    return sessions


def session_totals(qs) -> dict:
    totals = qs.aggregate(
        sessions=Count("pk"),
        volunteer_hours=Coalesce(Sum("volunteer_hours"), Decimal("0"), output_field=HOURS),
        new_visitors=Coalesce(Sum("new_visitors"), 0),
    )
    totals["visits"] = VisitorCount.objects.filter(session__in=qs.values("pk")).aggregate(
        v=Coalesce(Sum("count"), 0)
    )["v"]
    return totals


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
