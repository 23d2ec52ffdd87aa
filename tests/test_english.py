"""When a user chooses English, the pages of the three journeys show no Swedish interface
text: a sanity check that every string on them goes through the catalogues."""

import re
from datetime import date

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from reporting.services import reports_of
from visits.tests.factories import AgeBandFactory, SessionFactory, VenueFactory

from .test_translations import CATALOGUES

pytestmark = pytest.mark.django_db


def swedish_phrases():
    """Swedish translations that cannot be mistaken for English or for data: several
    words, different from the source, no placeholder."""
    phrases = set()
    for path in CATALOGUES:
        if path.parts[-3] != "sv":
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            text = entry.msgstr
            if (
                text != entry.msgid
                and " " in text
                and len(text) >= 12
                and "%" not in text
                and "{" not in text
                and "<" not in text
            ):
                phrases.add(text)
    return phrases


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_journey_pages_show_no_swedish_in_english(staff_client, coordinator_client, agreement):
    venue = VenueFactory(agreement=agreement, name="Café")
    AgeBandFactory(agreement=agreement, label="18–25")
    session = SessionFactory(agreement=agreement, venue=venue, date=date(2019, 5, 6))
    report = next(r for r in reports_of(agreement) if r.deadline.kind == "interim")
    staff_pages = [
        reverse("home"),
        reverse("partnership:agreement_detail", args=[agreement.pk]),
        reverse("visits:session_list", args=[agreement.pk]),
        reverse("visits:tally", args=[session.pk]),
        reverse("visits:activity_list", args=[agreement.pk]),
        reverse("visits:activity_create", args=[agreement.pk]),
    ]
    coordinator_pages = [
        reverse("finance:budget", args=[agreement.pk]),
        reverse("reporting:report_list", args=[agreement.pk]),
        reverse("reporting:report_detail", args=[report.pk]),
    ]
    phrases = swedish_phrases()
    assert len(phrases) > 50
    # The check sees Swedish where there is Swedish: the tally page in the default language.
    swedish = staff_client.get(staff_pages[3]).content.decode()
    assert any(p in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", swedish)) for p in phrases)
    found = {}
    for client, urls in ((staff_client, staff_pages), (coordinator_client, coordinator_pages)):
        _english(client)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert re.search(r'<html lang="en"', html), url
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
            seen = sorted(p for p in phrases if p in text)
            if seen:
                found[url] = seen
    assert not found, found
