"""The agreement itself: organisations, agreements, parties, commitments, the agreed budget,
funding, deadlines, amendments, contacts, signatories and approval locks. (Its money, the
payments, expenses and in-kind hours, is the finance app's.)

Amounts are whole kronor in ``DecimalField(decimal_places=0)``; rules that the database can
hold are named constraints, the rest are in ``clean()`` and in ``services``.
"""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.text import NOTE_MAX_LENGTH, LineField, ProseField, shorten
from core.textdiff import side_by_side

from .validators import normalise_org_number, reminder_day_list, validate_reminder_days

KRONOR = {"max_digits": 14, "decimal_places": 0}
# An agreement's prose, section by section (the seed agreement's longest is 2 342
# characters), and an amendment (a numbered annex, which may restate whole sections).
AGREEMENT_SECTION_MAX_LENGTH = 10_000
AMENDMENT_MAX_LENGTH = 20_000


class Organisation(models.Model):
    class Sector(models.TextChoices):
        PUBLIC = "public", _("Public sector")
        IDEA_DRIVEN = "idea_driven", _("Idea-driven (non-profit) sector")
        OTHER = "other", _("Other")

    name = LineField(_("name"), max_length=150)
    org_number = LineField(
        _("organisation number"),
        max_length=11,
        unique=True,
        help_text=_("Swedish organisation number, NNNNNN-NNNN."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    department = LineField(_("department"), max_length=200, blank=True)
    street_address = LineField(_("street address"), max_length=200, blank=True)
    postal_code = LineField(_("postal code"), max_length=10, blank=True)
    city = LineField(_("city"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.org_number:
            try:
                self.org_number = normalise_org_number(self.org_number)
            except ValidationError as e:
                raise ValidationError({"org_number": e.messages}) from None

    @property
    def postal_address(self):
        return " ".join(p for p in (self.postal_code, self.city) if p)


class Membership(models.Model):
    """Which organisation a user works for. Roles are the groups "staff" and "coordinator"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class AgreementQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(parties__organisation=organisation).distinct()

    def update(self, **kwargs):
        """A bulk change of the period goes through ``services.change_period`` for each
        agreement, so that deadlines move and are checked as for a single change."""
        from .services import PERIOD_FIELDS, change_period

        if not set(kwargs) & set(PERIOD_FIELDS):
            return super().update(**kwargs)
        if any(hasattr(kwargs[k], "resolve_expression") for k in PERIOD_FIELDS if k in kwargs):
            # bulk_update() and F() expressions: the new period is not known here.
            raise TypeError("change an agreement's period with services.change_period()")
        with transaction.atomic(using=self.db):
            agreements = list(self)
            for agreement in agreements:
                period = {k: v for k, v in kwargs.items() if k in PERIOD_FIELDS}
                change_period(agreement=agreement, **period)
            rest = {k: v for k, v in kwargs.items() if k not in PERIOD_FIELDS}
            if rest:
                super().update(**rest)
        return len(agreements)

    def with_budget_sum(self):
        return self.annotate(
            budget_lines_sum=Coalesce(
                Sum("budget_lines__amount"),
                Decimal("0"),
                output_field=models.DecimalField(**KRONOR),
            )
        )


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    title = LineField(_("title"), max_length=300)
    short_name = LineField(_("short name"), max_length=50)
    case_number = LineField(
        _("case number (diarienummer)"),
        max_length=50,
        blank=True,
        help_text=_("The municipality's case number; shown on every report."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget_total = models.DecimalField(
        _("budget total (kr)"),
        **KRONOR,
        default=Decimal("0"),
        help_text=_("The total as written in the agreement; the budget lines must add up to it."),
    )
    deviation_threshold_percent = models.PositiveSmallIntegerField(
        _("deviation threshold (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("A budget line is flagged when its forecast departs from budget by more."),
    )
    final_report_months_before_end = models.PositiveSmallIntegerField(
        _("final report due, months before the end"),
        default=1,
        validators=[MaxValueValidator(24)],
    )
    close_out_months_after_end = models.PositiveSmallIntegerField(
        _("financial close-out due, months after the end"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "The close-out of the money (outcome, unused funds and the parties' decision on "
            "them) is due this many months after the agreement has ended."
        ),
    )
    reminder_days = LineField(
        _("reminders, days before a due date"),
        max_length=50,
        default="30,7,1",
        blank=True,
        validators=[validate_reminder_days],
        help_text=_(
            "The staff get an e-mail this many days before each report is due, e.g. "
            "“30,7,1”, and one when it is overdue. Empty: only the one when it is overdue."
        ),
    )

    # The agreement's prose, stored word for word.
    background = ProseField(_("background"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    purpose = ProseField(_("purpose"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    target_group = ProseField(
        _("target group"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    values = ProseField(_("values"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    partners_description = ProseField(
        _("partners"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    agreement_basis = ProseField(
        _("agreed partnership"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    overall_goal = ProseField(
        _("overall goal"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    collaboration_and_follow_up = ProseField(
        _("collaboration and follow-up"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    financing_terms = ProseField(
        _("financing and payment terms"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    budget_notes = ProseField(
        _("budget notes"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    learning = ProseField(_("learning"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    period_text = ProseField(
        _("period of the partnership"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )
    extension = ProseField(_("extension"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    renegotiation_and_disputes = ProseField(
        _("renegotiation, right to leave and disputes"),
        max_length=AGREEMENT_SECTION_MAX_LENGTH,
        blank=True,
    )
    repayment_terms = ProseField(
        _("repayment terms"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True
    )

    signing_date = models.DateField(_("signing date"), null=True, blank=True)
    signing_place = LineField(_("signing place"), max_length=100, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
    )

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="agreement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget_total__gte=0), name="agreement_budget_total_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(deviation_threshold_percent__lte=100),
                name="agreement_deviation_threshold_max_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "ended"]),
                name="agreement_status_known",
            ),
        ]

    @property
    def reminder_day_list(self) -> list[int]:
        """The reminder days, most first (``[30, 7, 1]``)."""
        return reminder_day_list(self.reminder_days)

    def __str__(self):
        return f"{self.title} ({self.start_date:%Y}–{self.end_date:%Y})"

    def get_absolute_url(self):
        return reverse("partnership:agreement_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date must be after the start date.")})
        if self.pk and self.start_date and self.end_date:
            self._check_deadlines()

    def _check_deadlines(self):
        """Every deadline still holds with this period (a deadline due relative to the end
        moves with it; the others must be moved or deleted first)."""
        problems = []
        for deadline in self.deadlines.all():
            deadline.agreement = self
            try:
                deadline.clean()
            except ValidationError as error:
                problems += [
                    _("%(deadline)s: %(problem)s") % {"deadline": deadline, "problem": message}
                    for message in error.messages
                ]
        if problems:
            raise ValidationError({"end_date": problems})

    # Sections in the order the agreement is written, for display.
    SECTION_FIELDS = (
        "background",
        "purpose",
        "target_group",
        "values",
        "partners_description",
        "agreement_basis",
        "overall_goal",
        "collaboration_and_follow_up",
        "financing_terms",
        "budget_notes",
        "learning",
        "period_text",
        "extension",
        "renegotiation_and_disputes",
        "repayment_terms",
    )

    def sections(self):
        """(heading, text) for each non-empty prose section."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SECTION_FIELDS
            if getattr(self, name)
        ]

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def final_report_due_date(self) -> date:
        return self.end_date - relativedelta(months=self.final_report_months_before_end)

    def close_out_due_date(self) -> date:
        return self.end_date + relativedelta(months=self.close_out_months_after_end)

    def budget_lines_total(self) -> Decimal:
        return self.budget_lines.aggregate(
            total=Coalesce(Sum("amount"), Decimal("0"), output_field=models.DecimalField(**KRONOR))
        )["total"]

    def days_left(self, today: date) -> int:
        return max((self.end_date - today).days, 0)

    def party_of_role(self, role):
        return self.parties.filter(role=role).select_related("organisation").first()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Deadlines defined relative to the end move when the end date moves.
        # Saved only when they actually move, so the history shows no empty changes.
        # Every agreement has its financial close-out, due after the end.
        relative = list(self.deadlines.filter(relative_to_end=True))
        if not any(d.kind == ReportingDeadline.Kind.CLOSE_OUT for d in relative):
            relative.append(ReportingDeadline(kind=ReportingDeadline.Kind.CLOSE_OUT))
        for deadline in relative:
            before = (deadline.period_start, deadline.period_end, deadline.due_date)
            deadline.agreement = self
            deadline.apply_relative_rule()
            if deadline.pk is None or (
                (deadline.period_start, deadline.period_end, deadline.due_date) != before
            ):
                deadline.save()


class Party(models.Model):
    class Role(models.TextChoices):
        PUBLIC = "public", _("Public party")
        IDEA_DRIVEN = "idea_driven", _("Idea-driven party")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    commitments_preamble = ProseField(
        _("introduction to the commitments"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_unique_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


COMMITMENT_MAX_LENGTH = 1_000


class Commitment(models.Model):
    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        SPECIAL_EFFORT = "special_effort", _("Special effort")
        NEXT_LEVEL = "next_level", _("Next-level engagement")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agreement")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("party")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMITMENT)
    # The agreement's own words (the longest of the 2019 agreement's is 760 characters); every
    # report prints each commitment whole, so the limit is the agreement's length, no more.
    text = ProseField(_("text"), max_length=COMMITMENT_MAX_LENGTH)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["party__order", "order", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return self.short_text

    @property
    def short_text(self):
        """The first line, up to 80 characters, cut between words."""
        return shorten(self.text.strip().splitlines()[0] if self.text.strip() else "")

    def clean(self):
        super().clean()
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            raise ValidationError({"party": _("The party must belong to the same agreement.")})


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel")
        OVERHEAD = "overhead", _("Overhead")
        PREMISES = "premises", _("Premises")
        ACTIVITIES = "activities", pgettext_lazy("budget category", "Activities")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("agreement"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = LineField(_("text"), max_length=120)
    description = ProseField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)
    amount = models.DecimalField(
        _("amount (kr)"),
        **KRONOR,
        help_text=_("Whole kronor. For a line built from positions, computed from them."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_line_amount_non_negative"
            ),
        ]

    def __str__(self):
        return self.text

    def positions_total(self) -> Decimal:
        return sum((p.cost for p in self.positions.all()), Decimal("0"))


class StaffPosition(models.Model):
    """A position that makes up a personnel budget line: count × FTE × monthly cost × months."""

    MAX_MONTHS = 240

    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("budget line"),
    )
    title = LineField(_("title"), max_length=200)
    count = models.PositiveSmallIntegerField(
        _("number of people"), default=1, validators=[MinValueValidator(1)]
    )
    fte_percent = models.PositiveSmallIntegerField(
        _("full-time equivalent (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    monthly_cost = models.DecimalField(_("monthly cost (kr)"), **KRONOR)
    months = models.PositiveSmallIntegerField(
        _("months"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_cost__gte=0), name="staff_position_cost_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(fte_percent__gte=1, fte_percent__lte=100),
                name="staff_position_fte_1_to_100",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="staff_position_count_min_1"),
            models.CheckConstraint(condition=Q(months__gte=1), name="staff_position_months_min_1"),
        ]

    def __str__(self):
        return self.title

    @property
    def cost(self) -> Decimal:
        return (
            Decimal(self.count) * Decimal(self.fte_percent) * self.monthly_cost * self.months
        ) / Decimal(100)


class Funding(models.Model):
    """Who contributes what. Cash is costed; in-kind contributions (volunteer hours,
    civil-servant time) are reported but, as the agreement says, not counted as cost."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind (not costed)")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="funding", verbose_name=_("agreement")
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding",
        verbose_name=_("party"),
    )
    contributor_name = LineField(
        _("other contributor"),
        max_length=200,
        blank=True,
        help_text=_("For contributors that are not parties, e.g. partner organisations."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = ProseField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)
    amount = models.DecimalField(
        _("amount (kr)"), **KRONOR, null=True, blank=True, help_text=_("Cash only.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_amount_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind="in_kind", amount__isnull=True)
                | Q(kind="cash", amount__isnull=False),
                name="funding_cash_has_amount_in_kind_has_none",
            ),
        ]

    def __str__(self):
        who = self.party.organisation.name if self.party_id else self.contributor_name
        return f"{who}: {self.get_kind_display()}"


class ReportingDeadline(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")
        # After the end: the money's outcome and the parties' decision on unused funds.
        CLOSE_OUT = "close_out", _("Financial close-out")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    relative_to_end = models.BooleanField(
        _("due relative to the agreement's end"),
        default=False,
        help_text=_(
            "Due the agreement's set number of months before its end, and covering the "
            "whole agreement; moves when the end date moves."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="deadline_period_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(kind="final"),
                name="deadline_one_final_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(kind="close_out"),
                name="deadline_one_close_out_per_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(kind="close_out")
                | Q(relative_to_end=True, due_date__gt=models.F("period_end")),
                name="deadline_close_out_after_end",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date:%Y-%m-%d}"

    def apply_relative_rule(self):
        """A deadline due relative to the end covers the whole agreement: the final report
        is due its set months before the end, the close-out its set months after."""
        if self.kind == self.Kind.CLOSE_OUT:
            self.relative_to_end = True
        if self.relative_to_end:
            try:
                agreement = self.agreement
            except Agreement.DoesNotExist:  # none chosen yet: the form says it is required
                return
            self.period_start = agreement.start_date
            self.period_end = agreement.end_date
            if self.kind == self.Kind.CLOSE_OUT:
                self.due_date = agreement.close_out_due_date()
            else:
                self.due_date = agreement.final_report_due_date()

    def clean(self):
        super().clean()
        self.apply_relative_rule()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end on or after its start.")
        if self.agreement_id:
            a = self.agreement
            if self.period_start and not a.contains(self.period_start):
                errors["period_start"] = _("The period must lie inside the agreement period.")
            if self.period_end and not a.contains(self.period_end):
                errors["period_end"] = _("The period must lie inside the agreement period.")
            if self.kind == self.Kind.CLOSE_OUT:
                errors.update(self._close_out_errors(a))
            elif self.due_date and not a.contains(self.due_date):
                errors["due_date"] = _(
                    "The due date must lie inside the agreement period or at its end."
                )
            elif self.due_date:
                errors.update(self._order_errors(a))
        if errors:
            raise ValidationError(errors)

    def _close_out_errors(self, agreement) -> dict:
        if agreement.deadlines.filter(kind=self.Kind.CLOSE_OUT).exclude(pk=self.pk).exists():
            return {"kind": _("The agreement has a financial close-out already.")}
        return {}

    def _order_errors(self, agreement) -> dict:
        """Interim reports are due before the final report; one final report at the most.
        (The close-out, due after the end, comes after both.)"""
        others = [
            d
            for d in agreement.deadlines.all()
            if d.pk != self.pk and d.kind != self.Kind.CLOSE_OUT
        ]
        for other in others:
            other.agreement = agreement  # the period being checked, maybe not yet saved
            other.apply_relative_rule()
        finals = [d for d in others if d.kind == self.Kind.FINAL]
        if self.kind == self.Kind.FINAL:
            if finals:
                return {"kind": _("The agreement has a final report already.")}
            late = [d.due_date for d in others if d.due_date >= self.due_date]
            if late:
                return {
                    "due_date": _(
                        "The final report must be due after every interim report (one is due "
                        "%(date)s)."
                    )
                    % {"date": max(late).isoformat()}
                }
        elif finals and self.due_date >= finals[0].due_date:
            return {
                "due_date": _("An interim report must be due before the final report (%(date)s).")
                % {"date": finals[0].due_date.isoformat()}
            }
        return {}

    def save(self, *args, **kwargs):
        self.apply_relative_rule()
        super().save(*args, **kwargs)


class Goal(models.Model):
    """A goal of the agreement, in its own words (inclusion, trust, joint learning …)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="goals", verbose_name=_("agreement")
    )
    text = ProseField(_("goal"), max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return shorten(self.text)


class Indicator(models.Model):
    """How a goal is followed: a measure with its unit, a baseline, a target for each report
    period and where its value comes from: computed from what is logged, or entered per report
    as an aggregate count (never about one person)."""

    class Source(models.TextChoices):
        VISITS_PER_WEEK = "visits_per_week", _("Visits per week, on average (logged)")
        NEW_VISITORS = "new_visitors", _("New visitors (logged)")
        REFERRALS = "referrals", _("Referrals to other services (logged)")
        NEXT_LEVEL = "next_level", _("Next-level engagements (logged activities)")
        VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours (logged)")
        ACTIVITIES = "activities", _("Activities of one type (logged)")
        ENTERED = "entered", _("Entered per report, as a count")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal")
    )
    name = LineField(_("indicator"), max_length=200)
    unit = LineField(_("unit"), max_length=50)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    target = models.DecimalField(
        _("target per report period"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("The value each report period aims at (for visits per week: per week)."),
    )
    origin = models.CharField(_("source"), max_length=20, choices=Source.choices)
    activity_type = LineField(
        _("activity type"),
        max_length=20,
        blank=True,
        help_text=_("For “activities of one type”: the type's code (e.g. homework_help)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal__order", "goal__pk", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="indicator_baseline_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="indicator_target_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(origin="activities", activity_type__gt="")
                | (~Q(origin="activities") & Q(activity_type="")),
                name="indicator_activity_type_with_its_source",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.origin == self.Source.ACTIVITIES and not self.activity_type:
            raise ValidationError({"activity_type": _("Name the type of activity to count.")})
        if self.origin != self.Source.ACTIVITIES and self.activity_type:
            raise ValidationError(
                {"activity_type": _("Only “activities of one type” takes an activity type.")}
            )


class Amendment(models.Model):
    """A numbered annex (tilläggsbilaga) that changes or clarifies the agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    date = models.DateField(_("date"))
    title = LineField(_("title"), max_length=200)
    text = ProseField(_("text"), max_length=AMENDMENT_MAX_LENGTH)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_unique_number"),
        ]

    def __str__(self):
        return _("Annex %(number)s: %(title)s") % {"number": self.number, "title": self.title}


class AmendmentChange(models.Model):
    """One term an amendment changes, with its value before and after, captured when the
    amendment was made (``partnership.amendments``): a prose section or a date of the period
    (``field``), a commitment's text, a budget line's amount or the budget total, the months
    of a staff position that a personnel line is built from, or a deadline's due date (none
    before for a new deadline). ``term`` names it as it was then, so the change reads the same
    after the row it points at has changed again or gone."""

    class Kind(models.TextChoices):
        PERIOD = "period", _("Period")
        SECTION = "section", _("Section of the agreement")
        COMMITMENT = "commitment", _("Commitment")
        BUDGET_LINE = "budget_line", _("Budget line")
        BUDGET_TOTAL = "budget_total", _("Budget total")
        POSITION = "position", _("Staff position")
        DEADLINE = "deadline", _("Reporting deadline")

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="changes", verbose_name=_("amendment")
    )
    kind = models.CharField(_("kind of term"), max_length=20, choices=Kind.choices)
    field = LineField(
        _("field"),
        max_length=50,
        blank=True,
        help_text=_("For a section or the period: the agreement's field that changed."),
    )
    term = LineField(_("term"), max_length=300, blank=True)
    commitment = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendment_changes",
        verbose_name=_("commitment"),
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendment_changes",
        verbose_name=_("budget line"),
    )
    position = models.ForeignKey(
        StaffPosition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendment_changes",
        verbose_name=_("staff position"),
    )
    deadline = models.ForeignKey(
        ReportingDeadline,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendment_changes",
        verbose_name=_("reporting deadline"),
    )
    text_before = ProseField(_("text before"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    text_after = ProseField(_("text after"), max_length=AGREEMENT_SECTION_MAX_LENGTH, blank=True)
    amount_before = models.DecimalField(_("amount before (kr)"), **KRONOR, null=True, blank=True)
    amount_after = models.DecimalField(_("amount after (kr)"), **KRONOR, null=True, blank=True)
    date_before = models.DateField(_("date before"), null=True, blank=True)
    date_after = models.DateField(_("date after"), null=True, blank=True)
    months_before = models.PositiveSmallIntegerField(_("months before"), null=True, blank=True)
    months_after = models.PositiveSmallIntegerField(_("months after"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["amendment", "order", "pk"]
        verbose_name = _("change of a term")
        verbose_name_plural = _("changes of terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "period",
                        "section",
                        "commitment",
                        "budget_line",
                        "budget_total",
                        "position",
                        "deadline",
                    ]
                ),
                name="amendment_change_kind_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind="position") | Q(months_before__gte=1, months_after__gte=1),
                name="amendment_change_position_months",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["period", "section"]) | Q(field__gt=""),
                name="amendment_change_field_names_the_field",
            ),
            models.CheckConstraint(
                condition=(Q(amount_before__isnull=True) | Q(amount_before__gte=0))
                & (Q(amount_after__isnull=True) | Q(amount_after__gte=0)),
                name="amendment_change_amounts_non_negative",
            ),
        ]

    def __str__(self):
        return self.term

    @property
    def label(self) -> str:
        """The term as a reader names it, in the reader's language where it is ours."""
        if self.kind in (self.Kind.PERIOD, self.Kind.SECTION):
            return capfirst(Agreement._meta.get_field(self.field).verbose_name)
        if self.kind == self.Kind.BUDGET_TOTAL:
            return str(self.Kind.BUDGET_TOTAL.label)
        if self.kind == self.Kind.DEADLINE:
            return _("%(kind)s for %(period)s") % {
                "kind": ReportingDeadline.Kind(self.field).label,
                "period": self.term,
            }
        return self.term

    def text_pieces(self) -> tuple[list, list]:
        """The texts before and after as (op, text) pieces (``core.textdiff``)."""
        return side_by_side(self.text_before, self.text_after)

    @property
    def value_type(self) -> str:
        """What the before and after values are: "text", "amount", "months" or "date"."""
        if self.kind in (self.Kind.SECTION, self.Kind.COMMITMENT):
            return "text"
        if self.kind in (self.Kind.BUDGET_LINE, self.Kind.BUDGET_TOTAL):
            return "amount"
        if self.kind == self.Kind.POSITION:
            return "months"
        return "date"


class ContactPerson(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = LineField(_("name"), max_length=200)
    title = LineField(_("title"), max_length=200, blank=True)
    department = LineField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = LineField(_("phone"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return self.name


class Signatory(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="signatories",
        verbose_name=_("organisation"),
    )
    name = LineField(_("name"), max_length=200)
    title = LineField(_("title"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return self.name


class StatusChange(models.Model):
    """One change of an agreement's status (draft → active → ended, or reopened), made by
    ``partnership.lifecycle.change_status``: who, when, from what to what, and why."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("agreement"),
    )
    from_status = models.CharField(
        _("from status"), max_length=10, choices=Agreement.Status.choices
    )
    to_status = models.CharField(_("to status"), max_length=10, choices=Agreement.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = LineField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("change of status")
        verbose_name_plural = _("changes of status")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="status_change_changes_the_status",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class LockedPeriod(models.Model):
    """A period in which sessions, activities and expenses are locked, because a report
    covering it has been approved. Reopening deletes the lock; the history keeps both."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="locked_periods",
        verbose_name=_("agreement"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    reason = LineField(_("reason"), max_length=300)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("locked by"),
    )
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("locked period")
        verbose_name_plural = _("locked periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="locked_period_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"
