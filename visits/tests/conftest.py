import pytest

from visits.services import ensure_default_age_bands
from visits.tests.factories import OpeningHoursFactory, SessionFactory, VenueFactory


@pytest.fixture
def venue(agreement):
    v = VenueFactory(agreement=agreement, name="Café")
    for weekday in range(5):
        OpeningHoursFactory(venue=v, weekday=weekday)
    return v


@pytest.fixture
def age_bands(agreement):
    return ensure_default_age_bands(agreement)


@pytest.fixture
def session(agreement, venue, age_bands):
    return SessionFactory(agreement=agreement, venue=venue)
