"""Writes for reports: small keyword-only functions, one transaction each.

Every transition locks the report row first (``select_for_update``), so two people acting on
the same report at once are served one after the other and the second sees the first's
result: two coordinators approving at once leave one approval, two submissions one version.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.formatting import format_sek
from finance.models import Repayment
from partnership.access import party_role_of
from partnership.models import Indicator, LockedPeriod, ReportingDeadline

from . import signals
from .figures import flagged_lines, report_figures
from .models import (
    FUNDS_DECISION_FIELDS,
    CalendarToken,
    CommitmentFollowUp,
    DeviationReason,
    FundsDecision,
    IndicatorValue,
    Report,
    ReportVersion,
    canonical_json,
)
from .signals import report_changed


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
def update_narrative(
    *, report, data: dict, reasons: dict | None = None, values: dict | None = None
) -> Report:
    """Save what staff wrote: the narrative (and a close-out's decision) from ``data``, and
    ``reasons``, the reason for each deviating budget line (``{budget line pk: text}``; an
    empty text removes it)."""
    report = _locked(report)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or returned report can be edited."))
    names = report.narrative_fields() + (FUNDS_DECISION_FIELDS if report.is_close_out else ())
    for name in names:
        if name in data:
            setattr(report, name, data[name])
    report.full_clean()
    report.save()
    lines = set(report.agreement.budget_lines.values_list("pk", flat=True))
    for line_pk, text in (reasons or {}).items():
        if line_pk not in lines:
            raise ValidationError(_("The budget line is not one of this agreement's."))
        text = (text or "").strip()
        if text:
            reason = DeviationReason.objects.filter(report=report, budget_line_id=line_pk).first()
            reason = reason or DeviationReason(report=report, budget_line_id=line_pk)
            reason.text = text
            reason.full_clean()  # the text field's rules: no control character, its maximum
            reason.save()
        else:
            DeviationReason.objects.filter(report=report, budget_line_id=line_pk).delete()
    entered = set(
        Indicator.objects.filter(
            goal__agreement=report.agreement, origin=Indicator.Source.ENTERED
        ).values_list("pk", flat=True)
    )
    for indicator_pk, value in (values or {}).items():
        if indicator_pk not in entered:
            raise ValidationError(_("The indicator is not one of this agreement's."))
        if value is None:
            IndicatorValue.objects.filter(report=report, indicator_id=indicator_pk).delete()
        else:
            entry = IndicatorValue.objects.filter(report=report, indicator_id=indicator_pk).first()
            entry = entry or IndicatorValue(report=report, indicator_id=indicator_pk)
            entry.value = value
            entry.full_clean()
            entry.save()
    return report


@transaction.atomic
def write_follow_up(*, report, commitment, user, role, status, account) -> CommitmentFollowUp:
    """The follow-up of ``commitment`` in ``report``, written by the party that made the
    commitment: ``role`` (the user's role in the agreement) must act for that party."""
    report = _locked(report)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or returned report can be edited."))
    if commitment.agreement_id != report.agreement_id:
        raise ValidationError(_("The commitment is not one of this agreement's."))
    if commitment.party.role != party_role_of(role):
        raise PermissionDenied(_("The party that made the commitment writes its follow-up."))
    entry = CommitmentFollowUp.objects.filter(report=report, commitment=commitment).first()
    entry = entry or CommitmentFollowUp(report=report, commitment=commitment)
    entry.status, entry.account, entry.written_by = status, account, user
    entry.full_clean()
    entry.save()
    return entry


def check_complete(report, figures) -> None:
    """What a report needs before it can be submitted, given the figures it would freeze:
    a summary, a reason for every deviating budget line, and for the close-out an ended
    agreement and the parties' decision on unused funds or an overspend."""
    errors = []
    if not report.summary.strip():
        raise ValidationError({"summary": _("Write a summary before submitting the report.")})
    if not report.is_close_out:
        errors += _narrative_errors(report, figures)
    explained = set(report.deviation_reasons.values_list("budget_line_id", flat=True))
    missing = [line["text"] for line in flagged_lines(figures) if line["pk"] not in explained]
    if missing:
        errors.append(
            _("Give the reason for each budget line that deviates from its budget: %(lines)s.")
            % {"lines": ", ".join(missing)}
        )
    if report.is_close_out:
        errors += _close_out_errors(report, figures["close_out"])
    else:
        unwritten = [row for row in report.follow_up_rows() if not row["status"]]
        if unwritten:
            errors.append(
                _("Each commitment needs its follow-up for the period; missing: %(list)s.")
                % {
                    "list": "; ".join(
                        f"{row['party']}: {Truncator(row['commitment']).words(8)}"
                        for row in unwritten
                    )
                }
            )
    if errors:
        raise ValidationError(errors)


def _narrative_errors(report, figures) -> list:
    """A report says what the figures do not: its effects and lessons always, and the
    reasons for its deviations when a budget line is flagged or a commitment not fulfilled."""
    missing = [
        Report._meta.get_field(name).verbose_name
        for name in ("effects", "lessons_learned")
        if not getattr(report, name).strip()
    ]
    deviating = (
        flagged_lines(figures)
        or report.follow_ups.filter(status=CommitmentFollowUp.Status.NOT_FULFILLED).exists()
    )
    if deviating and not report.deviations.strip():
        missing.append(Report._meta.get_field("deviations").verbose_name)
    if not missing:
        return []
    return [
        _("Write these sections before submitting the report: %(sections)s.")
        % {"sections": ", ".join(str(name) for name in missing)}
    ]


def _close_out_errors(report, money) -> list:
    agreement = report.agreement
    if not money["ended"]:
        return [
            _("The close-out can be submitted once the agreement has ended (%(end)s).")
            % {"end": agreement.end_date.isoformat()}
        ]
    decision = report.funds_decision
    if money["unused_funds"]:
        if decision not in FundsDecision.for_unused_funds():
            return [
                _(
                    "%(amount)s was paid and not spent: record the parties' decision to "
                    "repay it or to use it for the same or a similar purpose."
                )
                % {"amount": format_sek(money["unused_funds"])}
            ]
        if decision == FundsDecision.REPAY:
            amount = int(report.repayment_amount)
            if amount > money["unused_funds"]:
                return [
                    _("The amount repaid is more than the unused funds (%(amount)s).")
                    % {"amount": format_sek(money["unused_funds"])}
                ]
            if amount < money["unused_funds"] and not report.funds_decision_text.strip():
                return [_("Less than the unused funds is repaid: say what is done with the rest.")]
            if report.repayment_date < agreement.start_date:
                return [_("The repayment cannot be dated before the agreement started.")]
    elif money["overspend"]:
        if decision not in FundsDecision.for_overspend():
            return [
                _(
                    "%(amount)s more was spent than was paid: record the parties' decision "
                    "on the overspend."
                )
                % {"amount": format_sek(money["overspend"])}
            ]
    elif decision:
        return [_("Nothing is left or overspent: there is no decision on the funds to make.")]
    return []


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
    from .pdf import render_report_pdf

    report = _locked(report)
    if not report.is_editable:
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    with translation.override(language):  # the chart's words are frozen in this language
        figures = report_figures(report)
    check_complete(report, figures)
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
    report_changed.send(Report, report=report, event=signals.SUBMITTED, version=version)
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
    if report.is_close_out and report.funds_decision == FundsDecision.REPAY:
        repayment = Repayment(
            agreement=report.agreement,
            date=report.repayment_date,
            amount=report.repayment_amount,
            reference=_("Close-out approved: %(report)s") % {"report": report},
            registered_by=user,
        )
        repayment.full_clean()
        repayment.save()
        report.repayment = repayment
    report.save()
    report_changed.send(Report, report=report, event=signals.APPROVED, version=version)
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
    report_changed.send(Report, report=report, event=signals.RETURNED, version=version)
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
    lock, repayment = report.locked_period, report.repayment
    report.status = Report.Status.RETURNED
    report.locked_period = None
    report.repayment = None
    report.coordinator_comment = comment
    report.save()
    if lock is not None:
        lock.delete()
    if repayment is not None:  # recorded again when the close-out is approved again
        repayment.delete()
    report_changed.send(Report, report=report, event=signals.REOPENED, version=version)
    return report


@transaction.atomic
def regenerate_calendar_token(*, user) -> CalendarToken:
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = CalendarToken._meta.get_field("token").default()
        token.save()
    return token
