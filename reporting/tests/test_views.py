import pytest
from django.urls import reverse
from icalendar import Calendar

from reporting import services
from reporting.figures import flagged_lines, report_figures
from reporting.models import CalendarToken, Report
from reporting.tests.factories import write_report

from .conftest import make_logged_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(logged, report, staff_user, fake_pdf):
    write_report(report, "We opened the café.")
    return services.submit_report(report=report, user=staff_user)


# (url name, what the pk is, method, roles allowed)
VIEWS = [
    ("reporting:report_list", "agreement", "get", {"staff", "coordinator"}),
    ("reporting:audit_bundle", "agreement", "get", {"staff", "coordinator"}),
    ("reporting:report_detail", "report", "get", {"staff", "coordinator"}),
    ("reporting:report_pdf", "report", "get", {"staff", "coordinator"}),
    ("reporting:version_pdf", "version", "get", {"staff", "coordinator"}),
    ("reporting:report_edit", "report", "get", {"staff"}),
    ("reporting:report_submit", "report", "get", {"staff"}),
    ("reporting:report_submit", "report", "post", {"staff"}),
    ("reporting:report_approve", "report", "get", {"coordinator"}),
    ("reporting:report_approve", "report", "post", {"coordinator"}),
    ("reporting:report_return", "report", "get", {"coordinator"}),
    ("reporting:report_reopen", "report", "get", {"coordinator"}),
]


def _url(name, kind, agreement, report, version):
    pk = {"agreement": agreement.pk, "report": report.pk, "version": version.pk}[kind]
    return reverse(name, args=[pk])


@pytest.mark.parametrize("name,kind,method,roles", VIEWS)
def test_refusals(
    name,
    kind,
    method,
    roles,
    client,
    agreement,
    submitted,
    staff_client,
    coordinator_client,
    outsider_client,
    outsider_coordinator_client,
):
    report = submitted.report
    url = _url(name, kind, agreement, report, submitted)
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for outsider in (outsider_client, outsider_coordinator_client):
        assert getattr(outsider, method)(url).status_code == 404
    if "staff" not in roles:
        assert getattr(staff_client, method)(url).status_code == 403
    if "coordinator" not in roles:
        assert getattr(coordinator_client, method)(url).status_code == 403
    # Nothing changed by the refused requests.
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.versions.count() == 1


def test_admin_without_organisation_sees_no_report(admin_client, report):
    assert admin_client.get(reverse("reporting:report_detail", args=[report.pk])).status_code == 404


def test_calendar_page_needs_login(client, db):
    response = client.get(reverse("reporting:calendar"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_detail_shows_live_figures_with_small_cells_suppressed(staff_client, logged, report):
    response = staff_client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt; 5" in body
    assert ">3<" not in body
    assert "Provide premises" in body
    assert reverse("reporting:report_edit", args=[report.pk]) in body


def test_detail_in_english_on_request(coordinator_client, logged, report):
    body = coordinator_client.get(
        reverse("reporting:report_detail", args=[report.pk]) + "?lang=en"
    ).content.decode()
    assert "Visits by age band and gender" in body
    assert "No activity in the period" in body
    assert reverse("reporting:report_edit", args=[report.pk]) not in body  # not for coordinators


@pytest.mark.parametrize("scale", [1, 10])
def test_detail_query_count_is_bounded(
    staff_client, agreement, report, scale, django_assert_max_num_queries
):
    make_logged_data(agreement, scale=scale)
    with django_assert_max_num_queries(45):
        assert (
            staff_client.get(reverse("reporting:report_detail", args=[report.pk])).status_code
            == 200
        )


def test_staff_edit_and_submit(staff_client, coordinator_client, logged, report, fake_pdf):
    url = reverse("reporting:report_edit", args=[report.pk])
    response = staff_client.post(url, {"summary": "The café was open.", "effects": "More came."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.summary, report.effects) == ("The café was open.", "More came.")
    # The logged spending puts lines off their budget: without a reason for each, the
    # report is not submitted, and the message names them.
    response = staff_client.post(reverse("reporting:report_submit", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and not report.versions.exists()
    flagged = flagged_lines(report_figures(report))
    assert flagged
    page = response.content.decode()
    assert "Ange orsaken för varje budgetpost som avviker från sin budget" in page
    # The lessons, and the deviations' reasons (lines are flagged), are required too.
    assert "Skriv de här avsnitten innan rapporten lämnas in: lärdomar, avvikelser" in page
    assert all(line["text"] in page for line in flagged)
    # The edit page asks for each flagged line's reason; staff give them and submit.
    form = staff_client.get(url).content.decode()
    for line in flagged:
        assert f'name="reason_{line["pk"]}"' in form
    reasons = {f"reason_{line['pk']}": f"Because of {line['text']}." for line in flagged}
    text = {
        "summary": "The café was open.",
        "effects": "More came.",
        "lessons_learned": "Opening on Wednesdays too was right.",
        "deviations": "Salaries were paid ahead for the summer.",
    }
    staff_client.post(url, text | reasons)
    # Each party follows up its own commitments: until both have, nothing is submitted.
    response = staff_client.post(reverse("reporting:report_submit", args=[report.pk]), follow=True)
    assert "Varje åtagande behöver sin uppföljning" in response.content.decode()
    commitments = {c.party.role: c for c in report.agreement.commitments.select_related("party")}
    own, theirs = commitments["idea_driven"], commitments["public"]
    follow_up = "reporting:follow_up_edit"
    assert staff_client.get(reverse(follow_up, args=[report.pk, theirs.pk])).status_code == 403
    assert coordinator_client.get(reverse(follow_up, args=[report.pk, own.pk])).status_code == 403
    staff_client.post(
        reverse(follow_up, args=[report.pk, own.pk]),
        {"status": "under_way", "account": "Homework help twice a week."},
    )
    coordinator_client.post(
        reverse(follow_up, args=[report.pk, theirs.pk]),
        {"status": "fulfilled", "account": "The municipal resource met the young adults."},
    )
    # Either party reads the other's follow-up on the report page.
    page = staff_client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "The municipal resource met the young adults." in page and theirs.text in page
    staff_client.post(reverse("reporting:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    frozen = {row["commitment"]: row for row in report.versions.get().narrative["follow_ups"]}
    assert frozen[theirs.text]["status"] == "fulfilled"
    assert frozen[own.text]["account"] == "Homework help twice a week."
    assert report.versions.get().narrative["line_reasons"] == [
        {"line": line["text"], "reason": f"Because of {line['text']}."} for line in flagged
    ]
    version = report.versions.get()
    assert version.narrative["effects"] == "More came."
    # The submitted report cannot be edited any more.
    staff_client.post(url, {"summary": "Changed afterwards"})
    report.refresh_from_db()
    assert report.summary == "The café was open."


def test_submit_without_summary_is_refused_with_a_message(staff_client, report, fake_pdf):
    response = staff_client.post(reverse("reporting:report_submit", args=[report.pk]), follow=True)
    assert "summary" in response.content.decode().lower() or "sammanfattning" in (
        response.content.decode().lower()
    )
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and not report.versions.exists()


def test_coordinator_returns_with_comment_then_approves_a_new_version(
    coordinator_client, staff_client, submitted, fake_pdf
):
    report = submitted.report
    url = reverse("reporting:report_return", args=[report.pk])
    assert coordinator_client.post(url, {"comment": ""}).status_code == 200  # form error
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    coordinator_client.post(url, {"comment": "Add the outreach."})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    body = staff_client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Add the outreach." in body
    staff_client.post(reverse("reporting:report_submit", args=[report.pk]))
    coordinator_client.post(reverse("reporting:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert list(report.versions.values_list("number", "decision")) == [
        (1, "returned"),
        (2, "approved"),
    ]


def test_coordinator_reopens_an_approved_report(coordinator_client, submitted, coordinator):
    report = submitted.report
    services.approve_report(report=report, user=coordinator)
    coordinator_client.post(
        reverse("reporting:report_reopen", args=[report.pk]), {"comment": "Fix March."}
    )
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and report.locked_period is None


def test_submitted_report_shows_the_frozen_version(staff_client, submitted):
    from visits.models import VisitorCount

    VisitorCount.objects.filter(count=20).update(count=40)
    response = staff_client.get(reverse("reporting:report_detail", args=[submitted.report_id]))
    assert response.context["version"] == submitted
    assert response.context["figures"]["visits"]["table"]["total"] == 53


def test_version_pdf_is_the_stored_file(coordinator_client, submitted):
    response = coordinator_client.get(reverse("reporting:version_pdf", args=[submitted.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == submitted.pdf_bytes()


def test_report_list_and_home_overview(staff_client, agreement, submitted):
    body = staff_client.get(
        reverse("reporting:report_list", args=[agreement.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert reverse("reporting:report_detail", args=[submitted.report_id]) in body
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = staff_client.get(reverse("home")).content.decode()
    assert "Reporting deadlines" in body
    assert "Submitted" in body  # the interim report
    assert "Overdue" in body  # the final report, due 2020-11-30, still a draft


def test_standing_of_a_report():
    from datetime import date

    from reporting.models import Standing

    today = date(2026, 3, 1)
    assert Standing.of_status("draft", date(2026, 3, 15), today) == Standing.DUE_SOON
    assert Standing.of_status("draft", date(2026, 3, 16), today) == Standing.UPCOMING
    assert Standing.of_status("draft", date(2026, 2, 28), today) == Standing.OVERDUE
    assert Standing.of_status("submitted", date(2026, 2, 28), today) == Standing.SUBMITTED
    assert Standing.of_status("approved", date(2026, 2, 28), today) == Standing.APPROVED


def test_ics_feed_is_valid_and_needs_only_the_token(client, staff_client, staff_user, agreement):
    assert not CalendarToken.objects.filter(user=staff_user).exists()  # GET writes nothing
    staff_client.post(reverse("reporting:calendar"))
    token = CalendarToken.objects.get(user=staff_user).token
    assert token in staff_client.get(reverse("reporting:calendar")).content.decode()
    response = client.get(reverse("reporting:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"\r\n" in response.content
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert sorted(e.decoded("DTSTART") for e in events) == sorted(
        d.due_date for d in agreement.deadlines.all()
    )
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))

    staff_client.post(reverse("reporting:calendar"))
    assert client.get(reverse("reporting:calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("reporting:calendar_feed", args=["nope"])).status_code == 404


def test_ics_feed_of_an_outsider_has_only_their_own_deadlines(
    client, outsider_staff, agreement, other_agreement
):
    token = CalendarToken.objects.create(user=outsider_staff).token
    response = client.get(reverse("reporting:calendar_feed", args=[token]))
    uids = {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {f"iop-deadline-{d.pk}@testserver" for d in other_agreement.deadlines.all()}
