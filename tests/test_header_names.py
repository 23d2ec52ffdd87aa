"""A name that goes into a header, a file name or a calendar line (issue 17, item 4): the
forms refuse a carriage return in an agreement's short name (tests/test_text_input.py), and
a name already stored with one (from before, or written past the model) still breaks no
download and no calendar feed."""

from unittest import mock

import pytest
from django.urls import reverse
from icalendar import Calendar

from partnership.models import Agreement
from tests.conftest import fake_pdf

pytestmark = pytest.mark.django_db

HOSTILE = 'Liv"A\r\nX-INJECTED:1'


@pytest.fixture
def hostile_name(world):
    agreement = world["a"]["agreement"]
    # Written past the model's validation, as old data or a shell could have it.
    Agreement.objects.filter(pk=agreement.pk).update(short_name=HOSTILE, title=f"T\r\n{HOSTILE}")
    return world


def downloads(world):
    a = world["a"]
    pk = a["agreement"].pk
    return [
        reverse("visits:session_export", args=[pk, "csv"]),
        reverse("visits:session_export", args=[pk, "xlsx"]),
        reverse("visits:activity_export", args=[pk, "csv"]),
        reverse("visits:activity_export", args=[pk, "xlsx"]),
        reverse("finance:budget_xlsx", args=[pk]),
        reverse("reporting:report_pdf", args=[a["report"].pk]),
        reverse("reporting:version_pdf", args=[a["version"].pk]),
        reverse("reporting:audit_bundle", args=[pk]),
    ]


def test_every_download_of_the_agreement_answers_with_a_safe_file_name(
    hostile_name, coordinator_client
):
    with mock.patch("reporting.views.render_report_pdf", fake_pdf):
        for url in downloads(hostile_name):
            response = coordinator_client.get(url)
            assert response.status_code == 200, url
            header = response["Content-Disposition"]
            assert "\r" not in header and "\n" not in header, url
            assert header.count('"') == 2, header  # the name's own quote is gone
            assert "Liv_A_X-INJECTED_1" in header, header


def test_the_calendar_feed_holds_one_line_per_name(hostile_name, client, staff_client):
    staff_client.post(reverse("reporting:calendar"))
    token = staff_client.get(reverse("reporting:calendar")).context["feed_url"].split("/")[-1]
    response = client.get(f"/reports/calendar/{token}")
    assert response.status_code == 200
    body = response.content
    assert b"\nX-INJECTED" not in body and b"\r\nX-INJECTED" not in body
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in b"".join(lines)  # every line ends with CRLF, none with a bare LF
    events = Calendar.from_ical(body).walk("VEVENT")
    assert events and all("X-INJECTED" not in event for event in events)
    summaries = [str(event["SUMMARY"]) for event in events]
    assert all('Liv"A X-INJECTED:1' in s for s in summaries), summaries
