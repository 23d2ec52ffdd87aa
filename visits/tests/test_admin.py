import pytest
from django.urls import reverse

from visits.models import OpeningHours, Venue
from visits.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_open(admin_client, session, venue, age_bands):
    ActivityFactory(agreement=session.agreement)
    for model in ("venue", "ageband", "partnerorganisation", "session", "activity"):
        assert admin_client.get(reverse(f"admin:visits_{model}_changelist")).status_code == 200
    assert (
        admin_client.get(reverse("admin:visits_session_change", args=[session.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:visits_venue_history", args=[venue.pk])).status_code == 200
    )


def test_admin_adds_venue_with_opening_hours(admin_client, agreement):
    response = admin_client.post(
        reverse("admin:visits_venue_add"),
        {
            "agreement": agreement.pk,
            "name": "Busstorget",
            "kind": "outreach",
            "closed_on_public_holidays": "on",
            "is_active": "on",
            "order": 2,
            "opening_hours-TOTAL_FORMS": 1,
            "opening_hours-INITIAL_FORMS": 0,
            "opening_hours-0-weekday": 4,
            "opening_hours-0-opens": "19:00",
            "opening_hours-0-closes": "23:00",
        },
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Busstorget")
    assert list(venue.opening_hours.values_list("weekday", flat=True)) == [4]


def test_staff_user_cannot_reach_admin(staff_client):
    response = staff_client.get(reverse("admin:visits_venue_changelist"))
    assert response.status_code == 302
    assert OpeningHours.objects.count() == 0
