"""The e-mails the app sends, and each user's choice of them.

``Notice`` is both the outbox and the sent log: a row is written when a mail is due (in the
transaction of what caused it, or by ``send_reminders``), and marked sent once the mail server
has taken it. Its unique key makes each reminder and notice go out once per recipient, however
often and on however many machines ``send_reminders`` runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LineField


class Preference(models.Model):
    """What a user wants by e-mail. A user without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of the e-mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    reminders = models.BooleanField(
        _("reminders"),
        default=True,
        help_text=_("Before a report is due, when it is overdue, and when an action item is due."),
    )
    workflow = models.BooleanField(
        _("notices about reports"),
        default=True,
        help_text=_("When a report is submitted, returned, approved or reopened."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return str(self.user)


class Notice(models.Model):
    class Kind(models.TextChoices):
        DEADLINE_REMINDER = "deadline_reminder", _("A report is due soon")
        DEADLINE_OVERDUE = "deadline_overdue", _("A report is overdue")
        ACTION_ITEM_DUE = "action_item_due", _("An action item is due")
        REPORT_SUBMITTED = "report_submitted", _("A report was submitted")
        REPORT_RETURNED = "report_returned", _("A report was returned")
        REPORT_APPROVED = "report_approved", _("A report was approved")
        REPORT_REOPENED = "report_reopened", _("A report was reopened")

    REMINDERS = (Kind.DEADLINE_REMINDER, Kind.DEADLINE_OVERDUE, Kind.ACTION_ITEM_DUE)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What makes the notice unique for its recipient, e.g. "report:12:2019-09-30:7".
    key = LineField(_("key"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    report = models.ForeignKey(
        "reporting.Report",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report"),
    )
    action_item = models.ForeignKey(
        "dialogue.ActionItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action item"),
    )
    days = models.PositiveSmallIntegerField(_("days before the due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = LineField(_("last error"), max_length=500, blank=True)
    # A run that is sending the notice holds it until then; a run that died lets it go.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail notice")
        verbose_name_plural = _("e-mail notices")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="notice_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=False) | Q(action_item__isnull=False),
                name="notice_is_about_something",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="notice_pending"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
