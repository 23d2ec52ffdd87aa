"""Follow-up reports: one ``Report`` per reporting deadline, and the frozen ``ReportVersion``
made each time it is submitted.

A report lives draft → submitted → approved | returned. Submission freezes a version: the
narrative and figures as they were (canonical JSON), the PDF and its SHA-256. A version's
snapshot never changes (``ReportVersion.save`` refuses it, the admin shows it read-only); only
the coordinator's decision on it is recorded later. A returned report is edited and submitted
again as the next version; earlier versions are kept.
"""

import hashlib
import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import ProseField
from finance.models import Repayment
from partnership.models import (
    KRONOR,
    Agreement,
    BudgetLine,
    Commitment,
    Indicator,
    LockedPeriod,
    ReportingDeadline,
)

NARRATIVE_FIELDS = ("summary", "effects", "lessons_learned", "deviations", "next_steps")
# The close-out's text: a comment on the outcome and the deviations; then the decision.
CLOSE_OUT_NARRATIVE_FIELDS = ("summary", "deviations")
FUNDS_DECISION_FIELDS = (
    "funds_decision",
    "funds_decision_text",
    "repayment_amount",
    "repayment_date",
)


class FundsDecision(models.TextChoices):
    """What the parties decided, at the close-out, on money paid and not spent ("kan antingen
    återbetalas eller användas för samma eller liknande ändamål") or on an overspend."""

    REPAY = "repay", _("Repay the unused funds")
    REUSE = "reuse", _("Use the unused funds for the same or a similar purpose")
    OWN_FUNDS = "own_funds", _("The idea-driven party covers the overspend")
    OTHER = "other", _("Another decision, as recorded")

    @classmethod
    def for_unused_funds(cls):
        return (cls.REPAY, cls.REUSE, cls.OTHER)

    @classmethod
    def for_overspend(cls):
        return (cls.OWN_FUNDS, cls.OTHER)


# A narrative section: about two pages of the PDF. Printed lines are what a PDF costs to
# make, so the number of lines is bounded too (docs/benchmark.md: the PDF at every maximum).
NARRATIVE = {"max_length": 4_000, "max_lines": 40}
# A commitment's follow-up and a budget line's reason: one per commitment and per flagged
# line, so every report prints many of them (issue 17: the PDF at every maximum).
FOLLOW_UP = {"max_length": 1_000, "max_lines": 10}
COMMENT_MAX_LENGTH = 5_000


class ReportQuerySet(models.QuerySet):
    def for_agreements(self, agreements):
        return self.filter(agreement__in=agreements)

    def with_deadline(self):
        return self.select_related("deadline", "agreement")


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    deadline = models.OneToOneField(
        ReportingDeadline,
        verbose_name=_("reporting deadline"),
        on_delete=models.PROTECT,
        related_name="report",
    )
    # The deadline's agreement, kept here too (set in save()) so that the agreement's history
    # reaches reports and their versions in one step.
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="reports",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    summary = ProseField(
        _("summary"),
        **NARRATIVE,
        blank=True,
        help_text=_("The efforts under way in the period, in brief."),
    )
    effects = ProseField(_("effects"), **NARRATIVE, blank=True)
    lessons_learned = ProseField(_("lessons learned"), **NARRATIVE, blank=True)
    deviations = ProseField(
        _("deviations and their reasons"),
        **NARRATIVE,
        blank=True,
        help_text=_("From the plan or the budget, and why."),
    )
    next_steps = ProseField(_("next steps"), **NARRATIVE, blank=True)

    # The financial close-out only: the parties' decision on the money left or overspent.
    funds_decision = models.CharField(
        _("the parties' decision on the funds"),
        max_length=20,
        choices=FundsDecision.choices,
        blank=True,
    )
    funds_decision_text = ProseField(
        _("the decision as recorded"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Where the parties took the decision (the meeting, its date and paragraph in the "
            "dialogue log) and what it says; for unused funds kept, what they will be used for."
        ),
    )
    repayment_amount = models.DecimalField(_("amount repaid (kr)"), **KRONOR, null=True, blank=True)
    repayment_date = models.DateField(_("date repaid"), null=True, blank=True)
    repayment = models.OneToOneField(
        Repayment,
        verbose_name=_("repayment"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="close_out",
        help_text=_("Recorded when the close-out was approved."),
    )

    coordinator_comment = ProseField(
        _("coordinator's comment"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        help_text=_("Why the report was returned or reopened."),
    )
    locked_period = models.OneToOneField(
        LockedPeriod,
        verbose_name=_("locked period"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report",
        help_text=_("The lock created when the report was approved."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["deadline__due_date", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved", "returned"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(locked_period__isnull=False),
                name="report_approved_has_lock",
            ),
            models.CheckConstraint(
                condition=Q(funds_decision__in=["", *FundsDecision.values]),
                name="report_funds_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(repayment_amount__isnull=True) | Q(repayment_amount__gt=0),
                name="report_repayment_amount_positive",
            ),
        ]

    def __str__(self):
        return str(self.deadline)

    def get_absolute_url(self):
        return reverse("reporting:report_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.deadline_id and not self.agreement_id:
            self.agreement_id = self.deadline.agreement_id
        super().save(*args, **kwargs)

    @property
    def period_start(self):
        return self.deadline.period_start

    @property
    def period_end(self):
        return self.deadline.period_end

    @property
    def is_final(self):
        return self.deadline.kind == ReportingDeadline.Kind.FINAL

    @property
    def is_close_out(self):
        return self.deadline.kind == ReportingDeadline.Kind.CLOSE_OUT

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    def narrative_fields(self) -> tuple:
        return CLOSE_OUT_NARRATIVE_FIELDS if self.is_close_out else NARRATIVE_FIELDS

    def narrative(self) -> dict:
        """What staff wrote, as JSON-ready values (frozen with each submitted version)."""
        text = {name: getattr(self, name) for name in self.narrative_fields()}
        if self.is_close_out:
            text |= {
                "funds_decision": self.funds_decision,
                "funds_decision_text": self.funds_decision_text,
                "repayment_amount": None
                if self.repayment_amount is None
                else int(self.repayment_amount),
                "repayment_date": self.repayment_date.isoformat() if self.repayment_date else "",
            }
        else:
            text["follow_ups"] = self.follow_up_rows()
        text["line_reasons"] = [
            {"line": r.budget_line.text, "reason": r.text}
            for r in self.deviation_reasons.select_related("budget_line").order_by(
                "budget_line__order", "budget_line__pk"
            )
        ]
        return text

    def follow_up_rows(self) -> list[dict]:
        """Every commitment of the agreement, both parties', in order, with its follow-up in
        this report (status "" while none is written). Two queries."""
        written = {f.commitment_id: f for f in self.follow_ups.all()}
        rows = []
        for c in (
            Commitment.objects.filter(agreement_id=self.agreement_id)
            .select_related("party__organisation")
            .order_by("party__order", "party__pk", "order", "pk")
        ):
            entry = written.get(c.pk)
            rows.append(
                {
                    "pk": c.pk,
                    "party": c.party.organisation.name,
                    "party_role": c.party.role,
                    "commitment": c.text,
                    "status": entry.status if entry else "",
                    "account": entry.account if entry else "",
                }
            )
        return rows

    def clean(self):
        """The decision's own consistency; whether the figures call for it is checked when
        the close-out is submitted (``services.submit_report``)."""
        super().clean()
        errors = {}
        decision = self.funds_decision
        if decision == FundsDecision.REPAY:
            if self.repayment_amount is None:
                errors["repayment_amount"] = _("Give the amount repaid.")
            if self.repayment_date is None:
                errors["repayment_date"] = _("Give the date of the repayment.")
        elif self.repayment_amount is not None or self.repayment_date is not None:
            errors["funds_decision"] = _(
                "An amount and date repaid go with the decision to repay the unused funds."
            )
        if decision and decision != FundsDecision.REPAY and not self.funds_decision_text.strip():
            errors["funds_decision_text"] = _("Write down the decision and where it was taken.")
        if self.repayment_date and self.repayment_date > timezone.localdate():
            errors["repayment_date"] = _(
                "Record the repayment once it has been made: the date cannot be in the future."
            )
        if errors:
            raise ValidationError(errors)

    def narrative_sections(self):
        """(heading, text) for each narrative section, in order."""
        return [(self._meta.get_field(n).verbose_name, getattr(self, n)) for n in NARRATIVE_FIELDS]


class CommitmentFollowUp(models.Model):
    """How one commitment went in a report's period, written by the party that made it: the
    association's staff for the association's commitments, the municipality's coordinator for
    the municipality's. Both parties read both."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        FULFILLED = "fulfilled", _("Fulfilled")
        NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")
        NOT_RELEVANT = "not_relevant", _("No longer relevant")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    account = ProseField(
        _("account for the period"),
        max_length=FOLLOW_UP["max_length"],
        max_lines=FOLLOW_UP["max_lines"],
        help_text=_("What was done for the commitment in the period, and how it went."),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "commitment__party__order", "commitment__order", "commitment__pk"]
        verbose_name = _("follow-up of a commitment")
        verbose_name_plural = _("follow-up of the commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="follow_up_one_per_commitment"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "not_started",
                        "under_way",
                        "fulfilled",
                        "not_fulfilled",
                        "not_relevant",
                    ]
                ),
                name="follow_up_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.commitment}"


class IndicatorValue(models.Model):
    """The value of an indicator entered for a report (source "entered"): an aggregate count,
    such as how many young adults found housing or work in the period. Never about one
    person; published through the disclosure control like every count about people."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveIntegerField(_("value"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="indicator_value_one_per_report"
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.indicator} = {self.value}"


class DeviationReason(models.Model):
    """Why a budget line departs from its budget by more than the agreement's threshold: a
    submitted report needs one for every line it flags."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="deviation_reasons"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="+"
    )
    text = ProseField(_("reason"), **FOLLOW_UP)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "budget_line__order", "budget_line__pk"]
        verbose_name = _("reason for a deviation")
        verbose_name_plural = _("reasons for deviations")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "budget_line"], name="deviation_reason_one_per_line"
            ),
        ]

    def __str__(self):
        return f"{self.report}: {self.budget_line}"


def version_pdf_path(instance, filename):
    report = instance.report
    return (
        f"reports/agreement-{report.deadline.agreement_id}/report-{report.pk}/"
        f"v{instance.number}-{instance.sha256[:12]}.pdf"
    )


def canonical_json(data) -> str:
    """One spelling of a figures dict, so the stored text is stable byte for byte."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class ReportVersion(models.Model):
    """What was submitted, frozen. The snapshot fields never change after the first save; the
    decision fields record what the coordinator did with it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        REOPENED = "reopened", _("Approved, later reopened")

    FROZEN_FIELDS = (
        "report_id",
        "number",
        "language",
        "narrative_json",
        "figures_json",
        "pdf",
        "sha256",
        "submitted_by_id",
        "submitted_at",
    )

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10, default="sv")
    narrative_json = models.TextField(_("narrative (JSON)"))
    figures_json = models.TextField(_("figures (JSON)"))
    pdf = models.FileField(_("PDF"), upload_to=version_pdf_path, max_length=300)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = ProseField(_("coordinator's comment"), max_length=COMMENT_MAX_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(decision="approved"),
                name="report_version_one_approved",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="report_version_number_min_1"),
        ]

    def __str__(self):
        return _("%(report)s, version %(number)s") % {"report": self.report, "number": self.number}

    @property
    def figures(self) -> dict:
        return json.loads(self.figures_json)

    @property
    def narrative(self) -> dict:
        return json.loads(self.narrative_json)

    def pdf_bytes(self) -> bytes:
        with self.pdf.open("rb") as f:
            return f.read()

    def pdf_is_intact(self) -> bool:
        return hashlib.sha256(self.pdf_bytes()).hexdigest() == self.sha256

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                ReportVersion.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first() or {}
            )
            for name in self.FROZEN_FIELDS:
                current = getattr(self, name)
                if name == "pdf":
                    current = current.name
                if name in stored and stored[name] != current:
                    raise ValidationError(_("A submitted report version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A submitted report version cannot be deleted."))


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URL. Regenerating it kills the old link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self):
        return str(self.user)


class Standing:
    """Where a report stands on a given day, for the deadline overview."""

    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    DUE_SOON_DAYS = 14

    LABELS = {
        UPCOMING: _("Upcoming"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        SUBMITTED: _("Submitted"),
        APPROVED: _("Approved"),
        RETURNED: _("Returned"),
    }

    # The Bootstrap badge of each standing (others: a light badge).
    BADGES = {
        APPROVED: "text-bg-success",
        SUBMITTED: "text-bg-primary",
        OVERDUE: "text-bg-danger",
        DUE_SOON: "text-bg-warning",
        RETURNED: "text-bg-warning",
    }

    @classmethod
    def of(cls, report, today) -> str:
        return cls.of_status(report.status, report.deadline.due_date, today)

    @classmethod
    def of_status(cls, status, due, today) -> str:
        """``status`` of the report (draft when it has not been created yet)."""
        if status == Report.Status.APPROVED:
            return cls.APPROVED
        if status == Report.Status.SUBMITTED:
            return cls.SUBMITTED
        if status == Report.Status.RETURNED:
            return cls.RETURNED
        if due < today:
            return cls.OVERDUE
        if (due - today).days <= cls.DUE_SOON_DAYS:
            return cls.DUE_SOON
        return cls.UPCOMING
