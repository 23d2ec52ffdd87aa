"""The dialogue between the parties ("Kontinuerlig dialog förs mellan parterna under hela
perioden"), written by both: meetings with their minutes, the decisions taken there (such as
approving a budget deviation, as the agreement asks before significant deviations) and the
action items that follow; and the learning log ("Lärande/kunskapsinhämtning").

Nothing here is about a visitor: minutes and lessons are about the partnership, and the
forms say so."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import LineField, ProseField
from partnership.models import Agreement, BudgetLine, Organisation, Party

NOT_ABOUT_A_PERSON = _("About the partnership, never about a visitor: no names.")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Cooperation meeting")
        FOLLOW_UP = "follow_up", _("Follow-up meeting")
        STEERING = "steering", _("Steering group")
        OTHER = "other", _("Other meeting")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("agreement")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations present"), related_name="+", blank=True
    )
    minutes = ProseField(_("minutes"), max_length=20000, blank=True, help_text=NOT_ABOUT_A_PERSON)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["agreement", "date"], name="meeting_agreement_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    text = ProseField(_("decision"), max_length=1500, max_lines=15)
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget deviation approved"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The budget line whose deviation from the budget this decision approves."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__date", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return _("Decision of %(meeting)s") % {"meeting": self.meeting}

    def clean(self):
        super().clean()
        if self.budget_line_id and self.meeting_id:
            if self.budget_line.agreement_id != self.meeting.agreement_id:
                raise ValidationError(
                    {"budget_line": _("The budget line must belong to the same agreement.")}
                )


class ActionItem(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("agreement"),
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    text = LineField(_("action"), max_length=500)
    party = models.ForeignKey(
        Party, verbose_name=_("owning party"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["done_on", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.text

    @property
    def is_done(self):
        return self.done_on is not None

    def clean(self):
        super().clean()
        errors = {}
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            errors["party"] = _("The party must be one of the agreement's parties.")
        if self.meeting_id and self.agreement_id and self.meeting.agreement_id != self.agreement_id:
            errors["meeting"] = _("The meeting must belong to the same agreement.")
        if errors:
            raise ValidationError(errors)


class LearningEntry(models.Model):
    class Theme(models.TextChoices):
        COOPERATION = "cooperation", _("Forms of cooperation")
        METHOD = "method", _("The partnership as a method")
        NEEDS = "needs", _("Needs seen")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="learning_entries",
        verbose_name=_("agreement"),
    )
    date = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    party = models.ForeignKey(
        Party, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    text = ProseField(_("lesson"), max_length=2000, max_lines=20, help_text=NOT_ABOUT_A_PERSON)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("learning entry")
        verbose_name_plural = _("learning log")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_theme_display()}"

    def clean(self):
        super().clean()
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            raise ValidationError({"party": _("The party must be one of the agreement's parties.")})
