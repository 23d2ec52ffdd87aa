"""List pages issue the same bounded number of queries at 1× and 10× data."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from visits.models import VisitorCount
from visits.tests.factories import ActivityFactory, PartnerOrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def _data(agreement, venue, bands, n):
    partners = [PartnerOrganisationFactory(name=f"P{i}") for i in range(2)]
    for i in range(n):
        day = date(2019, 4, 1) + timedelta(days=i)
        session = SessionFactory(agreement=agreement, venue=venue, date=day)
        for band in bands[:2]:
            VisitorCount.objects.create(session=session, age_band=band, gender="man", count=2)
        activity = ActivityFactory(agreement=agreement, date=day)
        activity.partners.set(partners)


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("name", ["session_list", "activity_list"])
def test_list_queries_bounded(
    staff_client, agreement, venue, age_bands, n, name, django_assert_max_num_queries
):
    _data(agreement, venue, age_bands, n)
    url = reverse(f"visits:{name}", args=[agreement.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = staff_client.get(url, {"date_from": "2019-04-01"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("name", ["session_export", "activity_export"])
def test_export_queries_bounded(
    staff_client, agreement, venue, age_bands, n, name, django_assert_max_num_queries
):
    _data(agreement, venue, age_bands, n)
    url = reverse(f"visits:{name}", args=[agreement.pk, "csv"])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert staff_client.get(url).status_code == 200
