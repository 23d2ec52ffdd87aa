"""Issue 21, item 5: the agreement page shows its life at a glance, a timeline of the signing,
changes of status, amendments and the extension, reports and the renewal, in date order, each
a link, with the same number of queries however long the life."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.models import Meeting
from dialogue.services import extend_agreement
from partnership.amendments import amend
from partnership.models import Agreement, StatusChange
from reporting.models import CommitmentFollowUp, DeviationReason, Report
from reporting.services import return_report, submit_report
from tests.conftest import fast_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    """Labels are matched in English."""


def _timeline(client, agreement) -> str:
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    found = re.search(r'<ol class="list-unstyled agreement-timeline.*?</ol>', page, re.S)
    assert found, "no timeline on the agreement page"
    return re.sub(r"\s+", " ", found.group(0))


def _submit(report, user):
    """Submit ``report`` with what it needs: a summary and a reason for every line."""
    Report.objects.filter(pk=report.pk).update(
        summary="What we did.", effects="Effects.", lessons_learned="Lessons.", deviations="None."
    )
    report.refresh_from_db()
    for line in report.agreement.budget_lines.all():
        DeviationReason.objects.get_or_create(
            report=report, budget_line=line, defaults={"text": "Why."}
        )
    for commitment in report.agreement.commitments.all():
        CommitmentFollowUp.objects.get_or_create(
            report=report,
            commitment=commitment,
            defaults={"status": CommitmentFollowUp.Status.UNDER_WAY, "account": "Under way."},
        )
    with fast_pdf():
        return submit_report(report=report, user=user)


def _extend(agreement):
    meeting = Meeting.objects.create(
        agreement=agreement, date=date(2020, 5, 20), kind=Meeting.Kind.COOPERATION
    )
    meeting.organisations.set([p.organisation for p in agreement.parties.all()])
    amendment, _decision = extend_agreement(
        agreement=agreement,
        end_date=date(2021, 12, 31),
        meeting=meeting,
        decision_text="Extended by a year.",
        budget={agreement.budget_lines.get(text="Staff"): Decimal("1300000")},
        today=date(2020, 6, 1),
    )
    return amendment


def test_the_timeline_lists_signing_amendment_and_a_submitted_report_in_order(
    agreement, staff_user, coordinator_client
):
    Agreement.objects.filter(pk=agreement.pk).update(signing_date=date(2019, 3, 15))
    amendment = _extend(agreement)
    report = agreement.reports.get(deadline__kind="interim")
    _submit(report, staff_user)
    timeline = _timeline(coordinator_client, agreement)
    today = timezone.localdate().isoformat()
    signing = timeline.index("2019-03-15</time>")
    start = timeline.index("2019-04-01</time>")
    extension = timeline.index("2020-06-01</time>")
    submitted = timeline.index(f"{today}</time>")
    assert signing < start < extension < submitted
    assert "The agreement is signed" in timeline[signing:start]
    assert f"/agreements/{agreement.pk}/as-of/?date=2019-03-15" in timeline[signing:start]
    assert (
        f'href="/agreements/amendment/{amendment.pk}/">Extension: Annex 1: Extension to '
        "2021-12-31</a>" in timeline[extension:]
    )
    assert f'href="/reports/{report.pk}/">Interim report 2019-08-31 submitted' in timeline
    assert "2021-12-31</time>" in timeline  # the (new) end of the period
    assert timeline.count("<li") == timeline.count("<a href=")  # every entry a link


def test_returned_and_approved_reports_status_changes_and_renewals_show(
    agreement, other_agreement, staff_user, coordinator, coordinator_client
):
    report = agreement.reports.get(deadline__kind="interim")
    _submit(report, staff_user)
    return_report(report=report, user=coordinator, comment="Add the figures.")
    StatusChange.objects.create(agreement=agreement, from_status="active", to_status="ended")
    Agreement.objects.filter(pk=other_agreement.pk).update(renews=agreement)
    amend(agreement=agreement, title="Clearer purpose", text="x", sections={"purpose": "New."})
    timeline = _timeline(coordinator_client, agreement)
    assert "Interim report 2019-08-31 returned" in timeline
    assert "Status: Active → Ended" in timeline
    assert "Annex 1: Clearer purpose" in timeline and "Extension:" not in timeline
    assert f'href="/agreements/{other_agreement.pk}/">Renewed by' in timeline


def test_the_timeline_costs_the_same_queries_however_long_the_life(
    agreement, staff_user, coordinator, coordinator_client
):
    url = f"/agreements/{agreement.pk}/"
    _extend(agreement)
    interim = agreement.reports.get(deadline__kind="interim")
    _submit(interim, staff_user)
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as short:
        coordinator_client.get(url)
    return_report(report=interim, user=coordinator, comment="Again, please.")
    _submit(interim, staff_user)
    _submit(agreement.reports.get(deadline__kind="final"), staff_user)
    for n in range(3):
        amend(agreement=agreement, title=f"Change {n}", text="x", sections={"purpose": f"P{n}"})
        StatusChange.objects.create(agreement=agreement, from_status="active", to_status="ended")
    with CaptureQueriesContext(connection) as long:
        page = coordinator_client.get(url).content.decode()
    assert "Change 2" in page and page.count(" submitted</a>") == 3
    assert len(long) == len(short)
