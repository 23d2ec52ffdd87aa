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
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import ProseField
from partnership.models import Agreement, LockedPeriod, ReportingDeadline

NARRATIVE_FIELDS = ("summary", "effects", "lessons_learned", "deviations", "next_steps")
# A narrative section: about two pages of the PDF. Printed lines are what a PDF costs to
# make, so the number of lines is bounded too (docs/benchmark.md: the PDF at every maximum).
NARRATIVE = {"max_length": 5_000, "max_lines": 50}
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
    def is_editable(self):
        return self.status in self.EDITABLE

    def narrative(self) -> dict:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}

    def narrative_sections(self):
        """(heading, text) for each narrative section, in order."""
        return [(self._meta.get_field(n).verbose_name, getattr(self, n)) for n in NARRATIVE_FIELDS]


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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
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
