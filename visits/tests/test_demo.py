from datetime import date

import pytest

from partnership.tests.factories import AgreementFactory
from visits import demo
from visits.calendar import expected_opening_days
from visits.models import Activity, Session, Venue, VisitorCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_agreement():
    # A fixed short name: the demo's generator is seeded with it.
    return AgreementFactory(
        short_name="Demo", start_date=date(2019, 4, 1), end_date=date(2019, 6, 30)
    )


def logs(agreement):
    """Everything the demo wrote for ``agreement``, without database ids."""
    sessions = sorted(
        Session.objects.filter(agreement=agreement).values_list(
            "venue__name", "date", "start_time", "volunteer_hours", "new_visitors"
        )
    )
    counts = sorted(
        VisitorCount.objects.filter(session__agreement=agreement).values_list(
            "session__venue__name", "session__date", "age_band__label", "gender", "count"
        )
    )
    activities = sorted(
        (a.date, a.type, a.participants, a.coupons, tuple(c.text for c in a.commitments.all()))
        for a in Activity.objects.filter(agreement=agreement).prefetch_related("commitments")
    )
    return sessions, counts, activities


def test_populate_is_deterministic_and_idempotent(short_agreement):
    until = date(2019, 6, 30)
    assert demo.populate(short_agreement, seed=7, until=until)
    first = logs(short_agreement)
    assert first[0] and first[1] and first[2]
    assert not demo.populate(short_agreement, seed=7, until=until)  # second run: nothing
    assert logs(short_agreement) == first
    # Same seed again from scratch: the same data.
    VisitorCount.objects.all().delete()
    Session.objects.all().delete()
    Activity.objects.all().delete()
    assert demo.populate(short_agreement, seed=7, until=until)
    assert logs(short_agreement) == first
    Session.objects.all().delete()
    Activity.objects.all().delete()
    demo.populate(short_agreement, seed=8, until=until)
    assert logs(short_agreement) != first


def test_sessions_fall_on_expected_opening_days_only(short_agreement):
    demo.populate(short_agreement, seed=1, until=date(2019, 6, 30))
    for venue in Venue.objects.filter(agreement=short_agreement):
        expected = set(expected_opening_days(venue, date(2019, 4, 1), date(2019, 6, 30)))
        logged = set(venue.sessions.values_list("date", flat=True))
        assert logged <= expected
        assert len(logged) >= 0.9 * len(expected)
    assert not Session.objects.filter(date=date(2019, 6, 21)).exists()  # Midsummer Eve
    assert {v.name for v in Venue.objects.filter(agreement=short_agreement)} == {
        "Café Tingshuset",
        "Busstorget",
        "Storsjöhallen",
    }


def test_about_a_hundred_visits_a_week(short_agreement):
    demo.populate(short_agreement, seed=3, until=date(2019, 6, 30))
    total = sum(c for *_x, c in logs(short_agreement)[1])
    weeks = 13
    assert 70 <= total / weeks <= 130
