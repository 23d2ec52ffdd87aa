import hashlib
import threading
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from partnership.models import LockedPeriod, ReportingDeadline
from partnership.services import assert_date_unlocked
from reporting import services
from reporting.models import Report, ReportVersion
from reporting.tests.factories import write_report
from visits.models import VisitorCount

pytestmark = pytest.mark.django_db


def _written(report):
    return write_report(report, "We opened the café.")


def test_a_deadline_gets_its_draft_report_when_it_is_saved(agreement):
    reports = services.reports_of(agreement)
    # An interim report, the final report and the close-out of the money.
    assert len(reports) == agreement.deadlines.count() == 3
    assert {r.status for r in reports} == {Report.Status.DRAFT}

    deadline = agreement.deadlines.first()
    deadline.due_date = deadline.due_date.replace(day=1)
    deadline.save()  # a change makes no second report
    assert Report.objects.filter(deadline=deadline).count() == 1

    added = ReportingDeadline.objects.create(
        agreement=agreement,
        kind=ReportingDeadline.Kind.INTERIM,
        period_start=agreement.start_date,
        period_end=agreement.start_date,
        due_date=agreement.start_date,
    )
    assert Report.objects.get(deadline=added).agreement == agreement


def test_deadlines_written_in_bulk_get_their_reports_from_create_missing_reports(agreement):
    Report.objects.all().delete()
    assert services.create_missing_reports() == 3
    assert services.create_missing_reports() == 0
    assert len(services.reports_of(agreement)) == 3


def test_submission_freezes_figures_and_pdf_against_later_edits(
    logged, report, staff_user, fake_pdf
):
    version = services.submit_report(report=_written(report), user=staff_user)
    frozen_pdf = version.pdf_bytes()
    frozen_figures = version.figures_json
    assert version.number == 1
    assert version.sha256 == hashlib.sha256(frozen_pdf).hexdigest()
    assert version.figures["visits"]["table"]["total"] == 53

    # Later the data is corrected: the live figures change, the snapshot does not.
    VisitorCount.objects.filter(count=20).update(count=40)
    report.refresh_from_db()
    from reporting.figures import report_figures

    assert report_figures(report)["visits"]["table"]["total"] == 73
    version = ReportVersion.objects.get(pk=version.pk)
    assert version.pdf_bytes() == frozen_pdf
    assert version.figures_json == frozen_figures
    assert version.pdf_is_intact()


def test_a_failed_submission_leaves_no_pdf_and_no_change(
    report, staff_user, fake_pdf, settings, monkeypatch
):
    def fail(self, *args, **kwargs):
        raise IntegrityError("the database refused the version")

    def files():
        return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())

    report = _written(report)
    with monkeypatch.context() as m:
        m.setattr(ReportVersion, "save", fail)
        with pytest.raises(IntegrityError):
            services.submit_report(report=report, user=staff_user)
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert not report.versions.exists()
    assert files() == []

    # The same submission without the failure writes exactly its one PDF.
    version = services.submit_report(report=report, user=staff_user)
    assert files() == [settings.MEDIA_ROOT / version.pdf.name]


def test_a_version_cannot_be_changed_or_deleted(report, staff_user, fake_pdf):
    version = services.submit_report(report=_written(report), user=staff_user)
    version.figures_json = "{}"
    with pytest.raises(ValidationError):
        version.save()
    version.refresh_from_db()
    with pytest.raises(ValidationError):
        version.delete()
    assert ReportVersion.objects.filter(pk=version.pk).exists()


def test_submitting_needs_a_summary_and_an_editable_report(report, staff_user, fake_pdf):
    with pytest.raises(ValidationError):
        services.submit_report(report=report, user=staff_user)
    assert not report.versions.exists()
    services.submit_report(report=_written(report), user=staff_user)
    with pytest.raises(ValidationError):
        services.submit_report(report=report, user=staff_user)
    with pytest.raises(ValidationError):
        write_report(report, "changed")
    assert report.versions.count() == 1


def test_returned_report_is_resubmitted_as_a_new_version(report, staff_user, coordinator, fake_pdf):
    services.submit_report(report=_written(report), user=staff_user)
    with pytest.raises(ValidationError):
        services.return_report(report=report, user=coordinator, comment="  ")
    services.return_report(report=report, user=coordinator, comment="Add the sports evenings.")
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    assert report.coordinator_comment == "Add the sports evenings."
    write_report(report, "Café and sports evenings.")
    second = services.submit_report(report=report, user=staff_user)
    first = report.versions.get(number=1)
    assert second.number == 2
    assert first.decision == ReportVersion.Decision.RETURNED
    assert first.narrative["summary"] == "We opened the café."
    assert second.narrative["summary"] == "Café and sports evenings."


def test_approval_locks_the_period_and_reopening_unlocks_it(
    agreement, report, staff_user, coordinator, fake_pdf
):
    services.submit_report(report=_written(report), user=staff_user)
    services.approve_report(report=report, user=coordinator)
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    lock = report.locked_period
    assert (lock.start_date, lock.end_date) == (date(2019, 4, 1), date(2019, 8, 31))
    with pytest.raises(ValidationError):
        assert_date_unlocked(agreement=agreement, day=date(2019, 6, 1))
    assert_date_unlocked(agreement=agreement, day=date(2019, 9, 1))
    with pytest.raises(ValidationError):
        services.approve_report(report=report, user=coordinator)

    services.reopen_report(report=report, user=coordinator, comment="A session was missing.")
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    assert report.locked_period is None
    assert not LockedPeriod.objects.filter(agreement=agreement).exists()
    assert_date_unlocked(agreement=agreement, day=date(2019, 6, 1))
    assert report.versions.get().decision == ReportVersion.Decision.REOPENED
    # The history keeps the lock that was deleted and the report's approval.
    assert LockedPeriod.history.filter(history_type="-", id=lock.pk).exists()
    assert report.history.filter(status=Report.Status.APPROVED).exists()

    # Corrected and approved again: a second approved version is allowed.
    services.submit_report(report=report, user=staff_user)
    services.approve_report(report=report, user=coordinator)
    assert report.versions.filter(decision="approved").count() == 1


def test_the_database_allows_one_approved_version_per_report(
    report, staff_user, coordinator, fake_pdf
):
    from django.db import IntegrityError, transaction

    services.submit_report(report=_written(report), user=staff_user)
    services.approve_report(report=report, user=coordinator)
    version = report.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.bulk_create(
            [
                ReportVersion(
                    report=report,
                    number=2,
                    narrative_json="{}",
                    figures_json="{}",
                    pdf=version.pdf.name,
                    sha256=version.sha256,
                    submitted_at=version.submitted_at,
                    decision="approved",
                )
            ]
        )


def test_regenerating_the_calendar_token_changes_it(staff_user):
    first = services.regenerate_calendar_token(user=staff_user).token
    second = services.regenerate_calendar_token(user=staff_user).token
    assert first != second and len(second) >= 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approving_at_once_leave_one_approval(
    agreement, staff_user, coordinator, fake_pdf
):
    from partnership.tests.factories import UserFactory
    from reporting.services import reports_of

    report = reports_of(agreement)[0]
    services.submit_report(report=_written(report), user=staff_user)
    other = UserFactory(username="coordinator2")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            services.approve_report(report=report, user=user)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (coordinator, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert LockedPeriod.objects.filter(agreement=agreement).count() == 1
    assert report.versions.filter(decision="approved").count() == 1


def test_a_final_report_submitted_before_the_end_locks_only_up_to_its_day(
    final_report, staff_user, coordinator, fake_pdf
):
    version = services.submit_report(report=_written(final_report), user=staff_user)
    # Submitted on the due date, a month before the agreement ends.
    submitted = timezone.make_aware(datetime(2020, 11, 30, 14, 0))
    ReportVersion.objects.filter(pk=version.pk).update(submitted_at=submitted)
    services.approve_report(report=final_report, user=coordinator)
    agreement = final_report.agreement
    with pytest.raises(ValidationError):
        assert_date_unlocked(agreement=agreement, day=date(2020, 11, 30))
    # December is still to be logged and paid.
    assert_date_unlocked(agreement=agreement, day=date(2020, 12, 1))
    assert_date_unlocked(agreement=agreement, day=date(2020, 12, 31))
