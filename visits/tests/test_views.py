import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.models import LockedPeriod
from visits.models import Activity, Session, VisitorCount
from visits.tests.factories import (
    ActivityFactory,
    PartnerOrganisationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(agreement):
    return ActivityFactory(agreement=agreement)


def _urls(agreement, session, activity, venue):
    """(url, method, read_only) for every view."""
    a, s, act = agreement.pk, session.pk, activity.pk
    return [
        (reverse("visits:session_list", args=[a]), "get", True),
        (reverse("visits:session_export", args=[a, "csv"]), "get", True),
        (reverse("visits:session_export", args=[a, "xlsx"]), "get", True),
        (reverse("visits:activity_list", args=[a]), "get", True),
        (reverse("visits:activity_export", args=[a, "csv"]), "get", True),
        (reverse("visits:activity_export", args=[a, "xlsx"]), "get", True),
        (reverse("visits:session_create", args=[a]), "get", False),
        (reverse("visits:session_create", args=[a]), "post", False),
        (reverse("visits:session_edit", args=[s]), "get", False),
        (reverse("visits:session_edit", args=[s]), "post", False),
        (reverse("visits:session_delete", args=[s]), "get", False),
        (reverse("visits:session_delete", args=[s]), "post", False),
        (reverse("visits:tally", args=[s]), "get", False),
        (reverse("visits:tally_tap", args=[s]), "post", False),
        (reverse("visits:today_choose", args=[a]), "get", False),
        (reverse("visits:today", args=[a, venue.pk]), "get", False),
        (reverse("visits:today", args=[a, venue.pk]), "post", False),
        (reverse("visits:activity_create", args=[a]), "get", False),
        (reverse("visits:activity_create", args=[a]), "post", False),
        (reverse("visits:activity_edit", args=[act]), "get", False),
        (reverse("visits:activity_edit", args=[act]), "post", False),
        (reverse("visits:activity_delete", args=[act]), "get", False),
        (reverse("visits:activity_delete", args=[act]), "post", False),
    ]


def _unchanged(session, activity):
    assert Session.objects.filter(pk=session.pk).exists()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert Session.objects.count() == 1 and not VisitorCount.objects.exists()


def test_anonymous_is_sent_to_login(client, agreement, session, activity, venue):
    for url, method, _ro in _urls(agreement, session, activity, venue):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    _unchanged(session, activity)


@pytest.mark.parametrize("client_name", ["outsider_client", "outsider_coordinator_client"])
def test_outsider_organisation_gets_404(request, client_name, agreement, session, activity, venue):
    client = request.getfixturevalue(client_name)
    for url, method, _ro in _urls(agreement, session, activity, venue):
        assert getattr(client, method)(url).status_code == 404, url
    _unchanged(session, activity)


def test_admin_without_organisation_gets_404(admin_client, agreement, session, activity, venue):
    for url, method, _ro in _urls(agreement, session, activity, venue):
        assert getattr(admin_client, method)(url).status_code == 404, url


def test_coordinator_reads_but_may_not_write(
    coordinator_client, agreement, session, activity, venue
):
    for url, method, read_only in _urls(agreement, session, activity, venue):
        response = getattr(coordinator_client, method)(url)
        assert response.status_code == (200 if read_only else 403), url
    _unchanged(session, activity)


def test_staff_reaches_every_page(staff_client, agreement, session, activity, venue):
    for url, method, _ro in _urls(agreement, session, activity, venue):
        if method == "get":
            response = staff_client.get(url)
            assert response.status_code in (200, 302), url


def test_session_list_filters_and_totals(staff_client, agreement, venue, age_bands):
    s1 = SessionFactory(agreement=agreement, venue=venue, date=date(2019, 5, 6))
    s2 = SessionFactory(
        agreement=agreement, venue=venue, date=date(2019, 6, 3), volunteer_hours=Decimal("3.5")
    )
    VisitorCount.objects.create(session=s1, age_band=age_bands[0], gender="man", count=7)
    VisitorCount.objects.create(session=s2, age_band=age_bands[1], gender="woman", count=4)
    VisitorCount.objects.create(session=s2, age_band=age_bands[2], gender="man", count=5)
    url = reverse("visits:session_list", args=[agreement.pk])
    totals = staff_client.get(url).context["totals"]
    assert totals["sessions"] == 2 and totals["visits"] == 16
    assert totals["volunteer_hours"] == Decimal("8.5")
    totals = staff_client.get(url, {"date_from": "2019-06-01"}).context["totals"]
    assert (totals["sessions"], totals["visits"]) == (1, 9)
    assert totals["volunteer_hours"] == Decimal("3.5")
    page = staff_client.get(url, {"date_to": "2019-05-31"}).context["page"]
    assert [s.visits for s in page.object_list] == [7]


def test_session_list_filtered_by_venue_and_period(staff_client, agreement, venue, age_bands):
    other = VenueFactory(agreement=agreement, name="Kulturhuset")
    here = SessionFactory(agreement=agreement, venue=venue, date=date(2019, 5, 6), new_visitors=2)
    there = SessionFactory(agreement=agreement, venue=other, date=date(2019, 5, 7), new_visitors=5)
    SessionFactory(agreement=agreement, venue=other, date=date(2019, 9, 2), new_visitors=1)
    VisitorCount.objects.create(session=there, age_band=age_bands[0], gender="man", count=3)
    url = reverse("visits:session_list", args=[agreement.pk])

    response = staff_client.get(url, {"venue": other.pk, "date_to": "2019-06-30"})
    totals = response.context["totals"]
    assert (totals["sessions"], totals["visits"], totals["new_visitors"]) == (1, 3, 5)
    assert [(s.pk, s.visits) for s in response.context["page"].object_list] == [(there.pk, 3)]

    response = staff_client.get(url, {"venue": venue.pk})
    assert [(s.pk, s.visits) for s in response.context["page"].object_list] == [(here.pk, 0)]
    assert response.context["totals"]["visits"] == 0

    response = staff_client.get(url, {"date_from": "2019-12-01"})
    assert response.context["totals"]["sessions"] == 0
    assert "Inga tillfällen matchar filtret." in response.content.decode()


def test_a_wrong_filter_value_is_explained_next_to_its_field(staff_client, agreement, venue):
    url = reverse("visits:session_list", args=[agreement.pk])
    html = staff_client.get(url, {"venue": 10**9, "date_from": "06/01/2019"}).content.decode()
    for name in ("venue", "date_from"):
        # The field points at its message (aria-describedby), and the message is there.
        assert f'aria-describedby="id_{name}_error"' in html
        assert re.search(rf'<div class="text-danger small" id="id_{name}_error">\w', html)
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in html


def test_staff_creates_session_and_lands_on_tally(staff_client, agreement, venue):
    url = reverse("visits:session_create", args=[agreement.pk])
    response = staff_client.post(
        url,
        {
            "venue": venue.pk,
            "date": "2019-05-06",
            "start_time": "15:00",
            "end_time": "20:00",
            "staff_on_duty": 2,
            "volunteers_on_duty": 3,
            "volunteer_hours": "12.5",
            "new_visitors": 4,
            "note": "Quiz night",
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("visits:tally", args=[session.pk])
    assert session.volunteer_hours == Decimal("12.5")
    assert session.history.first().history_user.username == "staff"


def test_session_form_refuses_us_date_and_bad_values(staff_client, agreement, venue):
    url = reverse("visits:session_create", args=[agreement.pk])
    base = {
        "venue": venue.pk,
        "date": "2019-05-06",
        "start_time": "15:00",
        "end_time": "20:00",
        "staff_on_duty": 2,
        "volunteers_on_duty": 0,
        "volunteer_hours": "0",
        "new_visitors": 0,
    }
    for field, value in [
        ("date", "05/06/2019"),
        ("date", "2019-03-31"),
        ("date", "2030-01-01"),
        ("end_time", "14:00"),
        ("volunteer_hours", "-1"),
        ("volunteer_hours", "1001"),
        ("staff_on_duty", "-1"),
        ("new_visitors", "1001"),
    ]:
        response = staff_client.post(url, {**base, field: value})
        assert response.status_code == 200, (field, value)
        assert response.context["form"].errors, (field, value)
    assert not Session.objects.exists()


def test_swedish_error_message(staff_client, agreement, venue):
    response = staff_client.post(
        reverse("visits:session_create", args=[agreement.pk]),
        {"venue": venue.pk, "date": "2019-03-31", "start_time": "15:00", "end_time": "20:00"},
    )
    assert "Datumet måste ligga inom överenskommelsens period" in response.content.decode()


def test_edit_and_delete_session(staff_client, agreement, session):
    url = reverse("visits:session_edit", args=[session.pk])
    response = staff_client.post(
        url,
        {
            "venue": session.venue.pk,
            "date": "2019-05-07",
            "start_time": "16:00",
            "end_time": "21:00",
            "staff_on_duty": 1,
            "volunteers_on_duty": 0,
            "volunteer_hours": "0",
            "new_visitors": 0,
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == date(2019, 5, 7) and session.start_time == time(16)
    confirm = staff_client.get(reverse("visits:session_delete", args=[session.pk]))
    assert confirm.status_code == 200 and Session.objects.exists()
    staff_client.post(reverse("visits:session_delete", args=[session.pk]))
    assert not Session.objects.exists()


def test_locked_session_cannot_be_edited_or_deleted(staff_client, agreement, session):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 5, 1), end_date=date(2019, 5, 31)
    )
    response = staff_client.post(
        reverse("visits:session_edit", args=[session.pk]),
        {
            "venue": session.venue.pk,
            "date": "2019-05-06",
            "start_time": "15:00",
            "end_time": "20:00",
            "staff_on_duty": 9,
            "volunteers_on_duty": 0,
            "volunteer_hours": "0",
            "new_visitors": 0,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = staff_client.post(reverse("visits:session_delete", args=[session.pk]))
    # The page says why, and offers no delete button any more.
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode() and "låst" in response.content.decode()
    assert "Ja, ta bort" not in response.content.decode()
    session.refresh_from_db()
    assert session.staff_on_duty == 2


def test_activity_create_only_offers_this_agreements_commitments(
    staff_client, agreement, other_agreement
):
    url = reverse("visits:activity_create", args=[agreement.pk])
    form = staff_client.get(url).context["form"]
    assert set(form.fields["commitments"].queryset) == set(agreement.commitments.all())
    partner = PartnerOrganisationFactory(name="Röda korset")
    data = {
        "date": "2019-06-03",
        "type": "hostel_nights",
        "commitments": [other_agreement.commitments.first().pk],
        "partners": [partner.pk],
        "participants": 3,
        "coupons": 0,
        "hostel_nights": 6,
        "referrals": 1,
        "volunteer_hours": "2",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "commitments" in response.context["form"].errors
    assert not Activity.objects.exists()
    data["commitments"] = [agreement.commitments.first().pk]
    assert staff_client.post(url, data).status_code == 302
    activity = Activity.objects.get()
    assert activity.hostel_nights == 6 and list(activity.partners.all()) == [partner]


def test_activity_form_refuses_negative_and_huge_quantities(staff_client, agreement):
    url = reverse("visits:activity_create", args=[agreement.pk])
    base = {
        "date": "2019-06-03",
        "type": "sport",
        "commitments": [agreement.commitments.first().pk],
        "participants": 3,
        "coupons": 0,
        "hostel_nights": 0,
        "referrals": 0,
        "volunteer_hours": "0",
    }
    for field, value in [
        ("participants", "-1"),
        ("coupons", "10001"),
        ("volunteer_hours", "-0.5"),
        ("date", "2021-01-01"),
        ("commitments", []),
    ]:
        response = staff_client.post(url, {**base, field: value})
        assert response.status_code == 200 and response.context["form"].errors, field
    assert not Activity.objects.exists()


def test_activity_list_filters_and_totals(staff_client, agreement):
    first, second = agreement.commitments.all()[:2]
    ActivityFactory(agreement=agreement, type="sport", participants=10, commitments=[first])
    ActivityFactory(
        agreement=agreement, type="lunch_coupons", coupons=30, participants=0, commitments=[second]
    )
    url = reverse("visits:activity_list", args=[agreement.pk])
    totals = staff_client.get(url).context["totals"]
    assert (totals["activities"], totals["participants"], totals["coupons"]) == (2, 10, 30)
    assert staff_client.get(url, {"type": "sport"}).context["totals"]["activities"] == 1
    totals = staff_client.get(url, {"commitment": second.pk}).context["totals"]
    assert (totals["activities"], totals["coupons"]) == (1, 30)


def test_edit_and_delete_activity(staff_client, agreement, activity):
    response = staff_client.post(
        reverse("visits:activity_edit", args=[activity.pk]),
        {
            "date": "2019-06-04",
            "type": "study_visit",
            "commitments": [c.pk for c in agreement.commitments.all()],
            "participants": 8,
            "coupons": 0,
            "hostel_nights": 0,
            "referrals": 0,
            "volunteer_hours": "1",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.type == "study_visit" and activity.commitments.count() == 2
    staff_client.post(reverse("visits:activity_delete", args=[activity.pk]))
    assert not Activity.objects.exists()


def _hrefs(response):
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def test_session_list_pages_show_each_rows_own_visits_and_links(
    staff_client, agreement, venue, age_bands
):
    """The list sums visits for the shown page only; every row must still carry its own
    figures and links, on the last page as on the first."""
    sessions = []
    for i in range(52):
        s = SessionFactory(
            agreement=agreement, venue=venue, date=date(2019, 4, 1) + timedelta(days=i)
        )
        VisitorCount.objects.create(session=s, age_band=age_bands[0], gender="man", count=i + 1)
        VisitorCount.objects.create(session=s, age_band=age_bands[1], gender="woman", count=100)
        sessions.append(s)
    url = reverse("visits:session_list", args=[agreement.pk])
    first, last = staff_client.get(url), staff_client.get(url, {"page": 2})
    # Newest first: the first page holds sessions 52…3, the second the two oldest.
    assert [s.visits for s in first.context["page"].object_list] == [
        i + 100 for i in range(52, 2, -1)
    ]
    assert [s.visits for s in last.context["page"].object_list] == [102, 101]
    html = last.content.decode()
    assert "2019-04-01" in html and "15:00–20:00" in html and "2019-05-22" not in html
    for s in sessions[:2]:
        for name in ("visits:tally", "visits:session_edit", "visits:session_delete"):
            assert reverse(name, args=[s.pk]) in _hrefs(last)
    for s in sessions[2:]:
        assert reverse("visits:tally", args=[s.pk]) in _hrefs(first)


def test_activity_list_rows_show_type_commitments_partners_and_links(staff_client, agreement):
    first, second = agreement.commitments.all()[:2]
    activity = ActivityFactory(agreement=agreement, type="sport", commitments=[first, second])
    activity.partners.set([PartnerOrganisationFactory(name="Röda korset")])
    response = staff_client.get(reverse("visits:activity_list", args=[agreement.pk]))
    html = response.content.decode()
    assert "Idrott" in html  # the type in Swedish, the default language
    assert first.short_text in html and second.short_text in html and "Röda korset" in html
    assert reverse("visits:activity_edit", args=[activity.pk]) in _hrefs(response)
    assert reverse("visits:activity_delete", args=[activity.pk]) in _hrefs(response)
