from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import LockedPeriod
from partnership.tests.factories import AgreementFactory
from visits.models import OpeningHours, Session, VisitorCount
from visits.tests.factories import OpeningHoursFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _tap(client, session, band, gender, delta, htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("visits:tally_tap", args=[session.pk]),
        {"age_band": band.pk, "gender": gender, "delta": delta},
        **headers,
    )


def test_tally_page_shows_a_button_grid(staff_client, session, age_bands):
    response = staff_client.get(reverse("visits:tally", args=[session.pk]))
    html = response.content.decode()
    # 5 age bands × 3 genders, a +1 and a −1 button each
    assert html.count('name="delta" value="1"') == 15
    assert html.count('name="delta" value="-1"') == 15
    assert 'aria-live="polite"' in html
    assert "<script>" not in html and "hx-on" not in html and "onclick" not in html


def test_taps_update_cell_and_total(staff_client, session, age_bands):
    response = _tap(staff_client, session, age_bands[1], "woman", 1)
    assert response.status_code == 200
    _tap(staff_client, session, age_bands[1], "woman", 1)
    response = _tap(staff_client, session, age_bands[2], "man", 1)
    fragment = response.content.decode()
    assert fragment.startswith("1")
    assert '<strong id="tally-total" hx-swap-oob="true">3</strong>' in fragment
    response = _tap(staff_client, session, age_bands[1], "woman", -1)
    assert response.content.decode().startswith("1")
    cells = {(c.age_band_id, c.gender): c.count for c in VisitorCount.objects.all()}
    assert cells == {(age_bands[1].pk, "woman"): 1, (age_bands[2].pk, "man"): 1}


def test_tap_without_htmx_redirects_back(staff_client, session, age_bands):
    response = _tap(staff_client, session, age_bands[0], "other", 1, htmx=False)
    assert response.status_code == 302
    assert response.url == reverse("visits:tally", args=[session.pk])
    assert VisitorCount.objects.get().count == 1


def test_invalid_taps_change_nothing(staff_client, session, age_bands, other_agreement):
    from visits.services import ensure_default_age_bands

    foreign_band = ensure_default_age_bands(other_agreement)[0]
    assert _tap(staff_client, session, age_bands[0], "woman", 5).status_code == 400
    assert _tap(staff_client, session, age_bands[0], "nobody", 1).status_code == 400
    assert _tap(staff_client, session, foreign_band, "woman", 1).status_code == 404
    url = reverse("visits:tally_tap", args=[session.pk])
    for band in ("", "first", "1.5", str(2**70)):
        data = {"age_band": band, "gender": "woman", "delta": 1}
        assert staff_client.post(url, data, HTTP_HX_REQUEST="true").status_code == 404
    assert not VisitorCount.objects.exists()


def test_tap_in_locked_period_is_refused_with_message(staff_client, agreement, session, age_bands):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 5, 1), end_date=date(2019, 5, 31)
    )
    response = _tap(staff_client, session, age_bands[0], "woman", 1)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not VisitorCount.objects.exists()


def test_ten_arrivals_are_ten_requests(
    staff_client, session, age_bands, django_assert_max_num_queries
):
    for _ in range(10):
        with django_assert_max_num_queries(20):
            _tap(staff_client, session, age_bands[2], "man", 1)
    assert VisitorCount.objects.get().count == 10


@pytest.fixture
def running_agreement(agreement):
    today = timezone.localdate()
    agreement.start_date = today - timedelta(days=30)
    agreement.end_date = today + timedelta(days=300)
    agreement.save()
    return agreement


def test_today_post_opens_todays_session_once(staff_client, running_agreement):
    venue = VenueFactory(agreement=running_agreement)
    today = timezone.localdate()
    OpeningHoursFactory(venue=venue, weekday=today.weekday())
    url = reverse("visits:today", args=[running_agreement.pk, venue.pk])
    response = staff_client.post(url)
    session = Session.objects.get()
    assert session.date == today and response.url == reverse("visits:tally", args=[session.pk])
    staff_client.post(url)
    assert Session.objects.count() == 1
    # A GET never creates, but finds the open session.
    assert staff_client.get(url).url == reverse("visits:tally", args=[session.pk])


def test_today_get_does_not_create(staff_client, running_agreement):
    venue = VenueFactory(agreement=running_agreement)
    response = staff_client.get(reverse("visits:today", args=[running_agreement.pk, venue.pk]))
    assert response.status_code == 302 and not Session.objects.exists()


def test_home_page_has_one_tap_buttons_for_staff(
    staff_client, coordinator_client, running_agreement
):
    venue = VenueFactory(agreement=running_agreement, name="Café Test")
    OpeningHoursFactory(venue=venue, weekday=timezone.localdate().weekday())
    closed = VenueFactory(agreement=running_agreement, name="Closed today")
    OpeningHoursFactory(venue=closed, weekday=(timezone.localdate().weekday() + 1) % 7)
    html = staff_client.get(reverse("home")).content.decode()
    assert reverse("visits:today", args=[running_agreement.pk, venue.pk]) in html
    assert "Closed today" not in html
    html = coordinator_client.get(reverse("home")).content.decode()
    assert reverse("visits:today", args=[running_agreement.pk, venue.pk]) not in html


def test_today_outside_agreement_is_refused(staff_client, agreement, venue):
    # The fixture agreement ended in 2020: no session can be opened today.
    response = staff_client.post(reverse("visits:today", args=[agreement.pk, venue.pk]))
    assert response.status_code == 302
    assert response.url == reverse("visits:today_choose", args=[agreement.pk])
    assert not Session.objects.exists()
    assert OpeningHours.objects.exists()


def test_home_buttons_only_for_active_venues_of_running_agreements(
    staff_client, running_agreement, association
):
    today = timezone.localdate()
    venue = VenueFactory(agreement=running_agreement, name="Café Test")
    OpeningHoursFactory(venue=venue, weekday=today.weekday())
    shut = VenueFactory(agreement=running_agreement, name="Shut for good", is_active=False)
    OpeningHoursFactory(venue=shut, weekday=today.weekday())
    # Another agreement of the same association, one that ended in 2020.
    ended = AgreementFactory()
    ended.parties.filter(role="idea_driven").update(organisation=association)
    old = VenueFactory(agreement=ended, name="Ended agreement")
    OpeningHoursFactory(venue=old, weekday=today.weekday())
    html = staff_client.get(reverse("home")).content.decode()
    assert html.count(reverse("visits:today", args=[running_agreement.pk, venue.pk])) == 1
    assert ended.title in html  # listed among the agreements, but no button
    assert "Shut for good" not in html and "Ended agreement" not in html


def test_no_home_button_where_the_association_is_the_public_party(
    staff_client, running_agreement, association
):
    today = timezone.localdate()
    # A running agreement in which the staff's own association is the public party.
    other = AgreementFactory()
    other.start_date, other.end_date = today - timedelta(days=10), today + timedelta(days=100)
    other.save()
    other.parties.filter(role="public").update(organisation=association)
    venue = VenueFactory(agreement=other, name="Not ours to count")
    OpeningHoursFactory(venue=venue, weekday=today.weekday())
    html = staff_client.get(reverse("home")).content.decode()
    # Not listed either (issue 17): the staff role does not act for the public party, so the
    # agreement could not be opened.
    assert other.title not in html
    assert reverse("visits:today", args=[other.pk, venue.pk]) not in html


def test_a_tap_below_zero_or_above_the_maximum_is_refused_with_a_message(
    staff_client, session, age_bands
):
    from visits.models import MAX_COUNT_PER_CELL

    band = age_bands[0]
    response = _tap(staff_client, session, band, "woman", -1)
    assert response.status_code == 200
    assert "Antalet är redan 0" in response.content.decode()
    assert not VisitorCount.objects.exists() and not VisitorCount.history.exists()
    VisitorCount.objects.create(
        session=session, age_band=band, gender="man", count=MAX_COUNT_PER_CELL
    )
    response = _tap(staff_client, session, band, "man", 1)
    assert "högsta antalet" in response.content.decode()
    assert response.content.decode().startswith(str(MAX_COUNT_PER_CELL))  # the count shown
    assert VisitorCount.history.filter(history_change_reason__startswith="tally").count() == 0
