"""Journey (b): the coordinator reviews the budget, reads the interim report and its PDF,
and approves it."""

import io
import re
from datetime import date

import pytest
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from core.formatting import format_sek
from partnership.models import LockedPeriod
from reporting import services as reporting_services
from reporting.models import Report
from reporting.tests.conftest import make_logged_data
from reporting.tests.factories import write_report
from visits.models import VisitorCount

from .conftest import sv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _flat(text):
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


@pytest.fixture
def submitted_interim_report(agreement, staff_user):
    make_logged_data(agreement)
    reports = reporting_services.reports_of(agreement)
    report = next(r for r in reports if r.deadline.kind == "interim")
    write_report(report, "The café was open as agreed.")
    reporting_services.submit_report(report=report, user=staff_user)
    return report


def test_coordinator_reviews_budget_and_approves_the_interim_report(
    desktop, agreement, coordinator, submitted_interim_report
):
    page = desktop.page
    report = submitted_interim_report
    start, end = report.deadline.period_start, report.deadline.period_end

    desktop.log_in(coordinator.username)
    assert page.url == desktop.url(reverse("home"))
    desktop.step("home")

    with page.expect_navigation():
        page.get_by_role("link", name=agreement.title).click()
    desktop.step("agreement")

    with page.expect_navigation():
        page.get_by_role("link", name=sv("Budget"), exact=True).click()
    assert page.url == desktop.url(reverse("finance:budget", args=[agreement.pk]))
    assert format_sek(agreement.budget_total).replace("\xa0", " ") in _flat(
        page.locator("main").inner_text()
    )
    desktop.step("budget")

    with page.expect_navigation():
        page.get_by_role("link", name=sv("Reports"), exact=True).click()
    desktop.step("reports")
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('reporting:report_detail', args=[report.pk])}']").click()
    desktop.step("interim report")

    # The PDF, fetched with the coordinator's session, states the visits the database holds.
    pdf_href = page.get_by_role("link", name=sv("PDF"), exact=True).get_attribute("href")
    response = page.request.get(desktop.url(pdf_href))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages))
    visits = VisitorCount.objects.filter(
        session__agreement=agreement, session__date__range=(start, end)
    ).aggregate(n=Sum("count"))["n"]
    assert visits == 53
    sessions = agreement.sessions.filter(date__range=(start, end)).count()
    sentence = sv("Visits in the period: %(total)s, at %(sessions)s sessions.") % {
        "total": visits,
        "sessions": sessions,
    }
    assert _flat(sentence) in text, text[:2000]
    assert agreement.case_number in text

    # Approving locks the period: a second step says so before anything happens.
    with page.expect_navigation():
        page.get_by_role("link", name=sv("Approve"), exact=True).click()
    assert "Perioden låses" in page.inner_text("main")
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED
    desktop.step("approve, what happens")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Yes, approve"), exact=True).click()
    desktop.step("approved")
    assert sv("The report was approved. Its period is now locked.") in page.inner_text("main")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert LockedPeriod.objects.filter(agreement=agreement, start_date=start, end_date=end).exists()
    assert start == date(2019, 4, 1)


def test_coordinator_logs_a_meeting_with_a_decision_and_follows_up_the_municipality(
    desktop, agreement, coordinator
):
    """Journey (c): the joint follow-up. The coordinator logs a follow-up meeting where the
    parties approved a budget deviation, then writes the municipality's follow-up of its own
    commitment on the draft interim report."""
    from dialogue.models import Decision, Meeting
    from reporting.models import CommitmentFollowUp

    page = desktop.page
    report = next(
        r for r in reporting_services.reports_of(agreement) if r.deadline.kind == "interim"
    )
    desktop.log_in(coordinator.username)
    desktop.goto(reverse("partnership:agreement_detail", args=[agreement.pk]))
    with page.expect_navigation():
        page.get_by_role("link", name=sv("Dialogue"), exact=True).click()
    desktop.step("dialogue")
    with page.expect_navigation():
        page.get_by_role("link", name=sv("New meeting")).click()
    page.get_by_label(sv("Date")).fill("2019-06-10")
    page.get_by_label(sv("kind").capitalize()).select_option("follow_up")
    for party in agreement.parties.select_related("organisation"):
        page.get_by_label(party.organisation.name).check()
    page.get_by_label(sv("minutes").capitalize()).fill("We went through the spring.")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save")).click()
    desktop.step("meeting saved")
    meeting = Meeting.objects.get(agreement=agreement)
    assert meeting.organisations.count() == 2

    with page.expect_navigation():
        page.get_by_role("link", name=sv("Add a decision")).click()
    page.get_by_label(sv("decision").capitalize()).fill(
        "The parties approve the spending on activities."
    )
    page.get_by_label(sv("budget deviation approved").capitalize()).select_option(
        label="Activities"
    )
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save")).click()
    desktop.step("decision saved")
    assert "The parties approve the spending on activities." in page.inner_text("main")
    assert Decision.objects.get(meeting=meeting).budget_line.text == "Activities"

    desktop.goto(reverse("reporting:report_detail", args=[report.pk]))
    municipal = agreement.commitments.get(party__role="public")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(sv("Write the follow-up"))).click()
    desktop.step("follow-up form")
    page.get_by_label(sv("status").capitalize()).select_option("fulfilled")
    page.get_by_label(sv("account for the period").capitalize()).fill(
        "The municipal resource met the young adults at Gamla Tingshuset every week."
    )
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save")).click()
    desktop.step("follow-up saved")
    assert "The municipal resource met the young adults" in page.inner_text("main")
    entry = CommitmentFollowUp.objects.get(report=report, commitment=municipal)
    assert (entry.status, entry.written_by) == ("fulfilled", coordinator)
    # Only the municipality's commitment offered a link: the association's is staff's to write.
    assert page.get_by_role("link", name=re.compile(sv("Write the follow-up"))).count() == 0
