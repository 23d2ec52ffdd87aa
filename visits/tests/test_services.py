import threading
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from partnership.models import LockedPeriod
from partnership.tests.factories import AgreementFactory, UserFactory
from visits import services
from visits.models import MAX_COUNT_PER_CELL, Activity, AgeBand, Gender, Session, VisitorCount
from visits.tests.factories import ActivityFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_default_age_bands_are_created_once(agreement):
    bands = services.ensure_default_age_bands(agreement)
    assert [b.label for b in bands] == ["Under 18", "18–20", "21–25", "26 och äldre", "Okänd ålder"]
    services.ensure_default_age_bands(agreement)
    assert AgeBand.objects.filter(agreement=agreement).count() == 5


def refusal(error) -> str:
    return error.value.error_dict["delta"][0].code


def cell_history(session, band, gender):
    return VisitorCount.history.filter(session=session, age_band=band, gender=gender)


def test_increment_and_decrement_never_below_zero(session, age_bands, staff_user):
    band = age_bands[1]
    assert services.increment_count(session=session, age_band=band, gender="man", delta=1) == 1
    assert services.increment_count(session=session, age_band=band, gender="man", delta=1) == 2
    assert services.increment_count(session=session, age_band=band, gender="man", delta=-1) == 1
    assert services.increment_count(session=session, age_band=band, gender="man", delta=-1) == 0
    history = cell_history(session, band, "man").count()
    with pytest.raises(ValidationError) as error:
        services.increment_count(session=session, age_band=band, gender="man", delta=-1)
    assert refusal(error) == "count_at_zero"
    assert VisitorCount.objects.get(session=session, age_band=band, gender="man").count == 0
    assert cell_history(session, band, "man").count() == history  # a refused tap: no history


def test_a_first_tap_minus_on_a_missing_cell_is_refused_and_writes_nothing(session, age_bands):
    band = age_bands[2]
    with pytest.raises(ValidationError) as error:
        services.increment_count(session=session, age_band=band, gender="woman", delta=-1)
    assert refusal(error) == "count_at_zero"
    assert not VisitorCount.objects.filter(session=session, age_band=band).exists()
    assert not cell_history(session, band, "woman").exists()


def test_increment_stops_at_the_cell_maximum_and_says_so(session, age_bands):
    band = age_bands[0]
    VisitorCount.objects.create(
        session=session, age_band=band, gender="man", count=MAX_COUNT_PER_CELL - 1
    )
    history = cell_history(session, band, "man").count()
    assert (
        services.increment_count(session=session, age_band=band, gender="man", delta=1)
        == MAX_COUNT_PER_CELL
    )
    with pytest.raises(ValidationError) as error:
        services.increment_count(session=session, age_band=band, gender="man", delta=1)
    assert refusal(error) == "count_at_maximum"
    assert VisitorCount.objects.get(session=session, age_band=band, gender="man").count == (
        MAX_COUNT_PER_CELL
    )
    assert cell_history(session, band, "man").count() == history + 1  # the accepted tap only


def test_taps_change_only_their_own_cell(session, age_bands):
    for band, gender, taps in [
        (age_bands[0], "man", 3),
        (age_bands[0], "woman", 1),
        (age_bands[1], "man", 2),
    ]:
        for _ in range(taps):
            services.increment_count(session=session, age_band=band, gender=gender, delta=1)
    cells = {
        (c.age_band_id, c.gender): c.count for c in VisitorCount.objects.filter(session=session)
    }
    assert cells == {
        (age_bands[0].pk, "man"): 3,
        (age_bands[0].pk, "woman"): 1,
        (age_bands[1].pk, "man"): 2,
    }
    history = VisitorCount.history.filter(session=session, age_band=age_bands[0], gender="man")
    assert sorted(h.count for h in history) == [1, 2, 3]


def test_increment_is_recorded_in_history_with_the_user(session, age_bands, staff_user):
    services.increment_count(
        session=session, age_band=age_bands[0], gender="woman", delta=1, user=staff_user
    )
    cell = VisitorCount.objects.get(session=session)
    latest = cell.history.first()
    assert latest.count == 1
    assert latest.history_user == staff_user


def test_increment_refuses_locked_future_and_foreign_band(agreement, session, age_bands):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 5, 1), end_date=date(2019, 5, 31)
    )
    with pytest.raises(ValidationError, match="date"):
        services.increment_count(session=session, age_band=age_bands[0], gender="man", delta=1)
    other_band = services.ensure_default_age_bands(AgreementFactory())[0]
    with pytest.raises(ValidationError):
        services.increment_count(session=session, age_band=other_band, gender="man", delta=1)
    with pytest.raises(ValidationError):
        services.increment_count(session=session, age_band=age_bands[0], gender="x", delta=1)
    assert not VisitorCount.objects.exists()


def test_increment_refuses_future_session(age_bands, venue, agreement):
    tomorrow = timezone.localdate() + timedelta(days=1)
    agreement.end_date = tomorrow + timedelta(days=10)
    agreement.save()
    # A row written around the service (as if the clock moved back): the tally still refuses.
    session = SessionFactory(agreement=agreement, venue=venue, date=tomorrow)
    with pytest.raises(ValidationError, match="date"):
        services.increment_count(session=session, age_band=age_bands[0], gender="man", delta=1)
    assert not VisitorCount.objects.exists()


def test_get_or_create_session_uses_opening_hours(agreement, venue, staff_user):
    monday = date(2019, 5, 6)
    session, created = services.get_or_create_session(
        agreement=agreement, venue=venue, day=monday, user=staff_user
    )
    assert created and (session.start_time, session.end_time) == (time(15), time(20))
    assert session.created_by == staff_user
    again, created = services.get_or_create_session(agreement=agreement, venue=venue, day=monday)
    assert again == session and not created
    # A Saturday is not in the pattern: the default times apply.
    saturday, _ = services.get_or_create_session(
        agreement=agreement, venue=venue, day=date(2019, 5, 11)
    )
    assert (saturday.start_time, saturday.end_time) == (time(18), time(21))


def test_session_create_refuses_bad_input_and_writes_nothing(agreement, venue):
    base = dict(venue=venue, start_time=time(15), end_time=time(20))
    for bad in (
        dict(base, date=date(2019, 3, 31)),  # before the agreement
        dict(base, date=date(2019, 5, 6), end_time=time(14)),  # ends before it starts
        dict(base, date=date(2019, 5, 6), volunteer_hours=Decimal("-1")),
        dict(base, date=date(2019, 5, 6), staff_on_duty=101),
        dict(base, date=date(2019, 5, 6), new_visitors=1001),
        dict(base, date=date(2019, 5, 6), venue=VenueFactory()),  # another agreement's venue
    ):
        with pytest.raises(ValidationError):
            services.create_session(agreement=agreement, **bad)
    assert not Session.objects.exists()


def test_update_and_delete_session_refused_in_locked_period(agreement, session):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 5, 1), end_date=date(2019, 5, 31)
    )
    with pytest.raises(ValidationError):
        services.update_session(session=session, note="changed")
    with pytest.raises(ValidationError):
        services.update_session(session=session, date=date(2019, 6, 3))  # moving it out, too
    with pytest.raises(ValidationError):
        services.delete_session(session=session)
    session.refresh_from_db()
    assert session.note == "" and session.date == date(2019, 5, 6)


def test_activity_services(agreement, staff_user):
    commitment = agreement.commitments.first()
    activity = services.create_activity(
        agreement=agreement,
        commitments=[commitment],
        user=staff_user,
        date=date(2019, 6, 3),
        type=Activity.Type.LUNCH_COUPONS,
        coupons=12,
    )
    assert list(activity.commitments.all()) == [commitment]
    services.update_activity(
        activity=activity, commitments=[commitment], coupons=14, user=staff_user
    )
    activity.refresh_from_db()
    assert activity.coupons == 14
    assert activity.history.first().history_user == staff_user
    foreign = AgreementFactory().commitments.first()
    with pytest.raises(ValidationError):
        services.update_activity(activity=activity, commitments=[foreign], coupons=1)
    with pytest.raises(ValidationError):
        services.create_activity(agreement=agreement, commitments=[], date=date(2019, 6, 3))
    activity.refresh_from_db()
    assert activity.coupons == 14
    services.delete_activity(activity=activity, user=staff_user)
    assert not Activity.objects.exists()


def test_activity_refuses_future_date(agreement):
    ActivityFactory(agreement=agreement)
    tomorrow = timezone.localdate() + timedelta(days=1)
    agreement.end_date = tomorrow + timedelta(days=10)
    agreement.save()
    with pytest.raises(ValidationError, match="date"):
        services.create_activity(
            agreement=agreement,
            commitments=agreement.commitments.all(),
            date=tomorrow,
            type=Activity.Type.SPORT,
        )
    assert Activity.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_taps_on_one_cell_lose_nothing():
    agreement = AgreementFactory()
    venue = VenueFactory(agreement=agreement)
    bands = services.ensure_default_age_bands(agreement)
    session = SessionFactory(agreement=agreement, venue=venue)
    user = UserFactory()
    threads, errors = [], []
    barrier = threading.Barrier(10)

    def tap():
        try:
            barrier.wait()
            for _ in range(20):
                services.increment_count(
                    session=session, age_band=bands[1], gender=Gender.WOMAN, delta=1, user=user
                )
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    for _ in range(10):
        threads.append(threading.Thread(target=tap))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    cell = VisitorCount.objects.get(session=session, age_band=bands[1], gender=Gender.WOMAN)
    assert cell.count == 200
    assert VisitorCount.objects.filter(session=session).count() == 1
    assert cell.history.count() == 200
