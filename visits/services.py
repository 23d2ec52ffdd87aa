"""Writes for the visits app: small keyword-only functions, one transaction each.

Every write refuses a date outside the agreement period, in the future or inside a locked
(approved) report period. The tally uses database-side increments so that two staff tapping
the same cell on two phones at the same moment lose no tap.
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.services import assert_log_deletable, assert_log_writable

from .models import (
    MAX_COUNT_PER_CELL,
    Activity,
    AgeBand,
    Gender,
    OpeningHours,
    Session,
    VisitorCount,
)

# The default age bands of a new agreement: (label, min_age, max_age). Labels are data, kept
# in Swedish like the agreement texts; admins may rename or add bands per agreement.
DEFAULT_AGE_BANDS = [
    ("Under 18", None, 17),
    ("18–20", 18, 20),
    ("21–25", 21, 25),
    ("26 och äldre", 26, None),
    ("Okänd ålder", None, None),
]

# Used when a venue has no opening hours on the day a session is opened from "Today".
DEFAULT_START = time(18, 0)
DEFAULT_END = time(21, 0)

SESSION_FIELDS = (
    "venue",
    "date",
    "start_time",
    "end_time",
    "staff_on_duty",
    "volunteers_on_duty",
    "volunteer_hours",
    "new_visitors",
    "note",
)
ACTIVITY_FIELDS = (
    "date",
    "type",
    "venue",
    "participants",
    "coupons",
    "hostel_nights",
    "referrals",
    "volunteer_hours",
    "description",
)


def _apply_and_save(obj, fields, *, allowed, user):
    """Set ``fields`` (names in ``allowed`` only) on a locked session or activity, validate
    it, check that its new date is writable too, and save it with ``user`` in the history."""
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(obj, name, value)
    obj.full_clean()
    assert_log_writable(agreement=obj.agreement, day=obj.date)
    obj._history_user = user
    obj.save()


@transaction.atomic
def ensure_default_age_bands(agreement) -> list[AgeBand]:
    """Create the default age bands unless the agreement already has bands."""
    existing = list(agreement.age_bands.all())
    if existing:
        return existing
    AgeBand.objects.bulk_create(
        [
            AgeBand(agreement=agreement, label=label, min_age=lo, max_age=hi, order=order)
            for order, (label, lo, hi) in enumerate(DEFAULT_AGE_BANDS, start=1)
        ],
        ignore_conflicts=True,
    )
    return list(agreement.age_bands.all())


def default_times(venue, day):
    hours = next((oh for oh in venue.opening_hours.all() if oh.weekday == day.weekday()), None)
    if hours:
        return hours.opens, hours.closes
    return DEFAULT_START, DEFAULT_END


def get_or_create_session(*, agreement, venue, day, start_time=None, end_time=None, user=None):
    """The session at ``venue`` on ``day`` starting at ``start_time`` (by default the
    venue's opening time that weekday), created if missing. Returns (session, created).

    Two staff opening "Today" at once get the same session: the unique constraint on
    (venue, date, start time) decides, and the loser reads the winner's row."""
    if venue.agreement_id != agreement.pk:
        raise ValidationError({"venue": _("The venue must belong to the same agreement.")})
    opens, closes = default_times(venue, day)
    start_time = start_time or opens
    end_time = end_time or closes
    existing = Session.objects.filter(venue=venue, date=day, start_time=start_time).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            session = create_session(
                agreement=agreement,
                user=user,
                venue=venue,
                date=day,
                start_time=start_time,
                end_time=end_time,
            )
        return session, True
    except IntegrityError:
        return Session.objects.get(venue=venue, date=day, start_time=start_time), False


@transaction.atomic
def create_session(*, agreement, user=None, **fields) -> Session:
    session = Session(agreement=agreement, created_by=user, **fields)
    session.full_clean()
    assert_log_writable(agreement=agreement, day=session.date)
    session._history_user = user
    session.save()
    ensure_default_age_bands(agreement)
    return session


@transaction.atomic
def update_session(*, session, user=None, **fields) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    assert_log_writable(agreement=session.agreement, day=session.date)  # the old date too
    _apply_and_save(session, fields, allowed=SESSION_FIELDS, user=user)
    return session


@transaction.atomic
def delete_session(*, session, user=None) -> None:
    assert_log_deletable(agreement=session.agreement, day=session.date)
    for cell in session.counts.all():
        cell._history_user = user
        cell.delete()
    session._history_user = user
    session.delete()


def increment_count(*, session, age_band, gender, delta, user=None) -> int:
    """Add ``delta`` (may be negative) to one cell of the session's tally; return the new
    count. A tap that would take the count below 0 or above MAX_COUNT_PER_CELL is refused
    (ValidationError) and writes nothing, not even a history row.

    The increment is one statement in the database, in PostgreSQL and SQLite alike: for +1
    an ``INSERT … ON CONFLICT DO UPDATE SET count = count + delta WHERE <stays in range>
    RETURNING`` (an upsert: the cell row is created race-safely when missing), for −1 an
    ``UPDATE … WHERE <stays in range> RETURNING``. Concurrent taps on the same cell are
    serialised by the row lock so none is lost (a read-modify-write in Python would lose
    taps); the range check and the value this tap wrote come from the same statement.

    History: the raw statement bypasses django-simple-history (and the lock signals, so the
    lock is checked here first). One history row is written for the cell with the value this
    tap produced, the user and the reason "tally +1" / "tally -1": every tap stays
    attributable."""
    if gender not in Gender.values:
        raise ValidationError({"gender": _("Unknown gender.")})
    if age_band.agreement_id != session.agreement_id:
        raise ValidationError({"age_band": _("The age band must belong to the same agreement.")})
    if not isinstance(delta, int) or abs(delta) > MAX_COUNT_PER_CELL or delta == 0:
        raise ValidationError({"delta": _("Invalid change of the count.")})
    assert_log_writable(agreement=session.agreement, day=session.date)
    with transaction.atomic():
        changed = _add_to_count(session.pk, age_band.pk, gender, delta)
        if changed is None:
            if delta > 0:
                message = _("The count is already at its maximum (%(max)d): nothing was added.")
                code = "count_at_maximum"
            else:
                message = _("The count is already 0: nothing was taken away.")
                code = "count_at_zero"
            raise ValidationError(
                {"delta": ValidationError(message, code=code, params={"max": MAX_COUNT_PER_CELL})}
            )
        cell_id, count = changed
        VisitorCount.history.model.objects.create(
            id=cell_id,
            session_id=session.pk,
            age_band_id=age_band.pk,
            gender=gender,
            count=count,
            history_date=timezone.now(),
            history_type="~",
            history_user=user if user is not None and user.is_authenticated else None,
            history_change_reason=f"tally {delta:+d}",
        )
    return count


def _add_to_count(session_id, age_band_id, gender, delta) -> tuple[int, int] | None:
    """(id, new count) of the cell after adding ``delta``, or None when the count would leave
    0..MAX_COUNT_PER_CELL (then nothing is written). A missing cell starts from 0: +1 creates
    it, −1 finds nothing to take from. The upsert's conflict target is the
    ``visitor_count_unique_cell`` constraint."""
    q = connection.ops.quote_name
    table, count = q(VisitorCount._meta.db_table), q("count")
    cell = f"{q('session_id')}, {q('age_band_id')}, {q('gender')}"
    added = f"{table}.{count} + %(delta)s"
    params = {
        "session": session_id,
        "band": age_band_id,
        "gender": gender,
        "delta": delta,
        "max": MAX_COUNT_PER_CELL,
    }
    if delta > 0:
        sql = (
            f"INSERT INTO {table} ({cell}, {count}) "
            "VALUES (%(session)s, %(band)s, %(gender)s, %(delta)s) "
            f"ON CONFLICT ({cell}) DO UPDATE SET {count} = {added} "
            f"WHERE {added} <= %(max)s "
            f"RETURNING {q('id')}, {count}"
        )
    else:
        sql = (
            f"UPDATE {table} SET {count} = {added} "
            f"WHERE {q('session_id')} = %(session)s AND {q('age_band_id')} = %(band)s "
            f"AND {q('gender')} = %(gender)s AND {added} >= 0 "
            f"RETURNING {q('id')}, {count}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def session_total(session) -> int:
    """The visits counted in ``session``: the sum of its tally's cells."""
    return VisitorCount.objects.filter(session=session).aggregate(total=Coalesce(Sum("count"), 0))[
        "total"
    ]


def _check_commitments(agreement, commitments):
    commitments = list(commitments)
    if not commitments:
        raise ValidationError({"commitments": _("Choose at least one commitment.")})
    if any(c.agreement_id != agreement.pk for c in commitments):
        raise ValidationError(
            {"commitments": _("The commitments must belong to the same agreement.")}
        )
    return commitments


@transaction.atomic
def create_activity(*, agreement, commitments, partners=(), user=None, **fields) -> Activity:
    commitments = _check_commitments(agreement, commitments)
    activity = Activity(agreement=agreement, created_by=user, **fields)
    activity.full_clean()
    assert_log_writable(agreement=agreement, day=activity.date)
    activity._history_user = user
    activity.save()
    activity.commitments.set(commitments)
    activity.partners.set(partners)
    return activity


@transaction.atomic
def update_activity(*, activity, commitments, partners=(), user=None, **fields) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    assert_log_writable(agreement=activity.agreement, day=activity.date)
    commitments = _check_commitments(activity.agreement, commitments)
    _apply_and_save(activity, fields, allowed=ACTIVITY_FIELDS, user=user)
    activity.commitments.set(commitments)
    activity.partners.set(partners)
    return activity


@transaction.atomic
def delete_activity(*, activity, user=None) -> None:
    assert_log_deletable(agreement=activity.agreement, day=activity.date)
    activity._history_user = user
    activity.delete()


def copy_to_renewal(predecessor, renewal):
    """A renewal keeps the venues (with their opening hours) and the age bands."""
    for venue in predecessor.venues.prefetch_related("opening_hours"):
        hours = list(venue.opening_hours.all())
        venue.pk, venue.id, venue._state.adding = None, None, True
        venue.agreement = renewal
        venue.full_clean()
        venue.save()
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(venue=venue, weekday=h.weekday, opens=h.opens, closes=h.closes)
                for h in hours
            ]
        )
    AgeBand.objects.bulk_create(
        [
            AgeBand(
                agreement=renewal,
                label=band.label,
                min_age=band.min_age,
                max_age=band.max_age,
                order=band.order,
            )
            for band in predecessor.age_bands.all()
        ]
    )
