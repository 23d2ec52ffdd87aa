from datetime import date, time

import pytest

from visits.calendar import expected_opening_days
from visits.models import OpeningHours
from visits.tests.factories import OpeningHoursFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _venue(agreement, weekdays, closed_on_public_holidays=True):
    venue = VenueFactory(agreement=agreement, closed_on_public_holidays=closed_on_public_holidays)
    for weekday in weekdays:
        OpeningHoursFactory(venue=venue, weekday=weekday, opens=time(15), closes=time(20))
    return venue


def test_every_day_venue_closes_on_holidays_and_the_three_eves_2019(agreement):
    venue = _venue(agreement, range(7))
    days = set(expected_opening_days(venue, date(2019, 1, 1), date(2019, 12, 31)))
    closed = {
        date(2019, 1, 1),  # New Year's Day
        date(2019, 1, 6),  # Epiphany (a Sunday)
        date(2019, 4, 19),  # Good Friday
        date(2019, 4, 21),  # Easter Sunday
        date(2019, 4, 22),  # Easter Monday
        date(2019, 5, 1),  # May Day
        date(2019, 5, 30),  # Ascension Day
        date(2019, 6, 6),  # National Day
        date(2019, 6, 9),  # Pentecost
        date(2019, 6, 21),  # Midsummer Eve
        date(2019, 6, 22),  # Midsummer Day
        date(2019, 11, 2),  # All Saints' Day
        date(2019, 12, 24),  # Christmas Eve
        date(2019, 12, 25),  # Christmas Day
        date(2019, 12, 26),  # Boxing Day
        date(2019, 12, 31),  # New Year's Eve
    }
    assert len(days) == 365 - len(closed)
    assert not days & closed
    # Ordinary Sundays, Easter Eve and Whitsun Eve are open days.
    assert {date(2019, 1, 13), date(2019, 4, 20), date(2019, 6, 8)} <= days


def test_weekday_pattern_and_holidays_2020(agreement):
    venue = _venue(agreement, [OpeningHours.Weekday.FRIDAY])
    days = expected_opening_days(venue, date(2020, 4, 1), date(2020, 6, 30))
    assert all(d.weekday() == 4 for d in days)
    # Good Friday 2020-04-10, May Day 2020-05-01 and Midsummer Eve 2020-06-19 are closed.
    assert date(2020, 4, 10) not in days
    assert date(2020, 5, 1) not in days
    assert date(2020, 6, 19) not in days
    assert date(2020, 4, 17) in days
    assert len(days) == 13 - 3


def test_venue_open_on_holidays_keeps_them(agreement):
    venue = _venue(agreement, [OpeningHours.Weekday.THURSDAY], closed_on_public_holidays=False)
    days = expected_opening_days(venue, date(2020, 12, 24), date(2020, 12, 31))
    assert days == [date(2020, 12, 24), date(2020, 12, 31)]


def test_no_pattern_or_empty_range(agreement):
    assert expected_opening_days(_venue(agreement, []), date(2020, 1, 1), date(2020, 2, 1)) == []
    venue = _venue(agreement, range(7))
    assert expected_opening_days(venue, date(2020, 2, 2), date(2020, 2, 1)) == []
    assert expected_opening_days(venue, date(2020, 2, 3), date(2020, 2, 3)) == [date(2020, 2, 3)]
