"""The database refuses what the forms refuse, even when a write goes around them."""

from datetime import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from visits.models import MAX_COUNT_PER_CELL, Session, VisitorCount
from visits.tests.factories import ActivityFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"end_time": time(14)},
        {"volunteer_hours": Decimal("-1")},
        {"volunteer_hours": Decimal("1000.5")},
        {"staff_on_duty": 101},
        {"new_visitors": MAX_COUNT_PER_CELL + 1},
    ],
)
def test_session_constraints(session, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(**fields)
    session.refresh_from_db()
    assert session.end_time == time(20) and session.volunteer_hours == Decimal("5.0")


def test_visitor_count_constraints(session, age_bands):
    cell = VisitorCount.objects.create(session=session, age_band=age_bands[0], gender="man")
    for bad in (-1, MAX_COUNT_PER_CELL + 1):
        with pytest.raises(IntegrityError), transaction.atomic():
            VisitorCount.objects.filter(pk=cell.pk).update(count=bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitorCount.objects.create(session=session, age_band=age_bands[0], gender="man")
    assert VisitorCount.objects.get().count == 0


def test_activity_constraints(agreement):
    activity = ActivityFactory(agreement=agreement)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(activity).objects.filter(pk=activity.pk).update(coupons=10_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(activity).objects.filter(pk=activity.pk).update(volunteer_hours=Decimal("-2"))


def test_two_sessions_same_venue_and_start_refused(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(agreement=session.agreement, venue=session.venue, date=session.date)
    assert Session.objects.count() == 1


@pytest.mark.parametrize("language", ["sv", "en"])
def test_activity_type_label_is_the_translated_choice(agreement, language):
    from django.utils import translation

    from visits.models import Activity

    activity = ActivityFactory.build(agreement=agreement)
    with translation.override(language):
        for value, _label in Activity.Type.choices:
            activity.type = value
            assert activity.type_label == activity.get_type_display()
        activity.type = "retired_type"  # a value no longer among the choices
        assert activity.type_label == "retired_type" == activity.get_type_display()
