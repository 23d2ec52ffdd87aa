"""Writes for reports: small keyword-only functions, one transaction each.

Every transition locks the report row first (``select_for_update``), so two people acting on
the same report at once are served one after the other and the second sees the first's
result: two coordinators approving at once leave one approval, two submissions one version.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnership.models import LockedPeriod, ReportingDeadline

from .models import NARRATIVE_FIELDS, CalendarToken, Report, ReportVersion, canonical_json


def reports_of(agreement) -> list[Report]:
    """The reports of the agreement, one per deadline, soonest due first."""
    return list(
        Report.objects.filter(agreement=agreement)
        .with_deadline()
        .order_by("deadline__due_date", "pk")
    )


def create_report(*, deadline) -> Report:
    """The report of ``deadline`` (a new draft when it has none yet)."""
    report, _created = Report.objects.get_or_create(
        deadline=deadline, defaults={"agreement_id": deadline.agreement_id}
    )
    return report


def create_missing_reports() -> int:
    """A draft report for every deadline that has none (deadlines written in bulk, which
    sends no signal). Two queries; returns how many were made."""
    missing = ReportingDeadline.objects.filter(report__isnull=True).values_list(
        "pk", "agreement_id"
    )
    made = Report.objects.bulk_create(
        [Report(deadline_id=pk, agreement_id=agreement_id) for pk, agreement_id in missing],
        ignore_conflicts=True,
    )
    return len(made)


def _locked(report) -> Report:
    return (
        Report.objects.select_for_update().select_related("deadline", "agreement").get(pk=report.pk)
    )


@transaction.atomic
def update_narrative(*, report, data: dict) -> Report:
    report = _locked(report)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or returned report can be edited."))
    for name in NARRATIVE_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    report.full_clean()
    report.save()
    return report


def submit_report(*, report, user, language="sv") -> ReportVersion:
    """Freeze the report as it is now: figures, narrative, PDF and its SHA-256.

    The PDF file is written before the version row; when anything after that fails and the
    transaction rolls back, the file is deleted again, so a failed submission leaves no
    orphan PDF in MEDIA_ROOT. (Called inside a caller's own transaction that rolls back later,
    the file would stay; no caller does that.)"""
    written = []
    try:
        with transaction.atomic():
            return _submit(report, user, language, written)
    except BaseException:
        for file in written:
            file.delete(save=False)
        raise


def _submit(report, user, language, written) -> ReportVersion:
    from .figures import report_figures
    from .pdf import render_report_pdf

    report = _locked(report)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    if not report.summary.strip():
        raise ValidationError({"summary": _("Write a summary before submitting the report.")})
    with translation.override(language):  # the chart's words are frozen in this language
        figures = report_figures(report)
    narrative = report.narrative()
    pdf = render_report_pdf(report, language, figures=figures, narrative=narrative)
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion(
        report=report,
        number=number,
        language=language,
        narrative_json=canonical_json(narrative),
        figures_json=canonical_json(figures),
        sha256=hashlib.sha256(pdf).hexdigest(),
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    version.pdf.save("report.pdf", ContentFile(pdf), save=False)
    written.append(version.pdf)
    version.full_clean()
    version.save()
    report.status = Report.Status.SUBMITTED
    report.save(update_fields=["status", "updated_at"])
    return version


def _pending_version(report) -> ReportVersion:
    version = report.versions.order_by("-number").first()
    if version is None or version.decision != ReportVersion.Decision.PENDING:
        raise ValidationError(_("This report has no submitted version awaiting review."))
    return version


@transaction.atomic
def approve_report(*, report, user) -> Report:
    """Approve the submitted version and lock what it covers: its period up to the day it
    was submitted (a final report is due before the agreement ends, and the days after its
    submission are still to be logged and paid)."""
    report = _locked(report)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    version = _pending_version(report)
    now = timezone.now()
    version.decision = ReportVersion.Decision.APPROVED
    version.decided_by = user
    version.decided_at = now
    version.save()
    covered_until = min(report.period_end, timezone.localdate(version.submitted_at))
    lock = LockedPeriod(
        agreement=report.agreement,
        start_date=report.period_start,
        end_date=max(report.period_start, covered_until),
        reason=_("Report approved: %(report)s") % {"report": report},
        locked_by=user,
    )
    lock.full_clean()
    lock.save()
    report.status = Report.Status.APPROVED
    report.locked_period = lock
    report.coordinator_comment = ""
    report.save()
    return report


def _clean_comment(comment) -> str:
    """The comment as the report stores it, checked by its model field (length, no control
    characters)."""
    try:
        return Report._meta.get_field("coordinator_comment").clean((comment or "").strip(), None)
    except ValidationError as error:
        raise ValidationError({"comment": error.messages}) from None


@transaction.atomic
def return_report(*, report, user, comment: str) -> Report:
    comment = _clean_comment(comment)
    if not comment:
        raise ValidationError({"comment": _("Say what should change before returning.")})
    report = _locked(report)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    version = _pending_version(report)
    version.decision = ReportVersion.Decision.RETURNED
    version.decided_by = user
    version.decided_at = timezone.now()
    version.comment = comment
    version.save()
    report.status = Report.Status.RETURNED
    report.coordinator_comment = comment
    report.save()
    return report


@transaction.atomic
def reopen_report(*, report, user, comment: str) -> Report:
    """Undo an approval: delete the period's lock, mark the approved version reopened and
    return the report to staff, who correct the data and submit a new version. The lock, the
    version and the report keep their history."""
    comment = _clean_comment(comment)
    if not comment:
        raise ValidationError({"comment": _("Say why the report is reopened.")})
    report = _locked(report)
    if report.status != Report.Status.APPROVED:
        raise ValidationError(_("Only an approved report can be reopened."))
    version = report.versions.get(decision=ReportVersion.Decision.APPROVED)
    version.decision = ReportVersion.Decision.REOPENED
    version.decided_by = user
    version.decided_at = timezone.now()
    version.comment = comment
    version.save()
    lock = report.locked_period
    report.status = Report.Status.RETURNED
    report.locked_period = None
    report.coordinator_comment = comment
    report.save()
    if lock is not None:
        lock.delete()
    return report


@transaction.atomic
def regenerate_calendar_token(*, user) -> CalendarToken:
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = CalendarToken._meta.get_field("token").default()
        token.save()
    return token
