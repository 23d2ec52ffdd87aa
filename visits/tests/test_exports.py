import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from visits.models import VisitorCount
from visits.tests.factories import ActivityFactory, PartnerOrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff_client, settings):
    """Staff who chose English, so the column headings read as in the source."""
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return staff_client


@pytest.fixture
def two_sessions(agreement, venue, age_bands):
    may = SessionFactory(agreement=agreement, venue=venue, date=date(2019, 5, 6), note="Quiz")
    june = SessionFactory(agreement=agreement, venue=venue, date=date(2019, 6, 3))
    VisitorCount.objects.create(session=may, age_band=age_bands[0], gender="woman", count=3)
    VisitorCount.objects.create(session=may, age_band=age_bands[1], gender="man", count=4)
    VisitorCount.objects.create(session=june, age_band=age_bands[1], gender="man", count=9)
    return may, june


def _csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_session_csv_follows_the_filter(staff_client, agreement, two_sessions):
    url = reverse("visits:session_export", args=[agreement.pk, "csv"])
    response = staff_client.get(url, {"date_to": "2019-05-31"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:2] == ["Date", "Venue"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Date"] == "2019-05-06" and row["Venue"] == "Café"
    assert row["Visits"] == "7" and row["Visits: Woman"] == "3" and row["Visits: Man"] == "4"
    assert row["Note"] == "Quiz"


def test_session_xlsx_reads_back(staff_client, agreement, two_sessions):
    url = reverse("visits:session_export", args=[agreement.pk, "xlsx"])
    response = staff_client.get(url)
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "Date" and len(rows) == 3
    assert [r[0].date() for r in rows[1:]] == [date(2019, 5, 6), date(2019, 6, 3)]
    assert [r[rows[0].index("Visits")] for r in rows[1:]] == [7, 9]


def test_activity_exports(staff_client, agreement):
    partner = PartnerOrganisationFactory(name="Svenska kyrkan")
    activity = ActivityFactory(agreement=agreement, type="lunch_coupons", coupons=25)
    activity.partners.add(partner)
    ActivityFactory(agreement=agreement, type="sport", date=date(2019, 8, 1))
    url = reverse("visits:activity_export", args=[agreement.pk, "csv"])
    rows = _csv(staff_client.get(url, {"type": "lunch_coupons"}))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Type"] == "Lunch coupons" and row["Lunch coupons"] == "25"
    assert row["Partner organisations"] == "Svenska kyrkan"
    assert row["Commitments"] == agreement.commitments.first().short_text
    url = reverse("visits:activity_export", args=[agreement.pk, "xlsx"])
    ws = load_workbook(io.BytesIO(staff_client.get(url).content)).active
    assert ws.max_row == 3


def test_unknown_export_format_is_404(staff_client, agreement):
    assert staff_client.get(f"/visits/{agreement.pk}/sessions/export.pdf").status_code == 404
