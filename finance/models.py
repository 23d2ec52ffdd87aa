"""The agreement's money: payments from the public party, expenses (the outcome, against
the budget lines) and their CSV imports, and in-kind hours.

Amounts are whole kronor in ``DecimalField(decimal_places=0)``; rules that the database can
hold are named constraints, the rest are in ``clean()`` and in ``services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import NOTE_MAX_LENGTH, LineField, ProseField
from partnership.models import KRONOR, Agreement, BudgetLine, Party


class Payment(models.Model):
    """Money paid by the public party to the idea-driven party under the agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="payments", verbose_name=_("agreement")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (kr)"), **KRONOR)
    reference = LineField(_("reference"), max_length=100, blank=True)
    note = ProseField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.amount} kr"


class Repayment(models.Model):
    """Unused funds paid back by the idea-driven party to the public party. Recorded by the
    approval of the agreement's financial close-out (``reporting``), never typed in on its own:
    the close-out holds the decision, the amount and the date."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("agreement")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (kr)"), **KRONOR)
    reference = LineField(_("reference"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.amount} kr"


class ExpenseImport(models.Model):
    """One imported CSV file of expenses. The file's SHA-256 is unique per agreement, so the
    same file cannot be imported twice."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="expense_imports",
        verbose_name=_("agreement"),
    )
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    filename = LineField(_("file name"), max_length=255)
    row_count = models.PositiveIntegerField(_("rows imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("expense import")
        verbose_name_plural = _("expense imports")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "file_sha256"], name="expense_import_unique_file"
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.imported_at:%Y-%m-%d})"


class Expense(models.Model):
    """An actual cost (utfall) booked against one budget line."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("agreement")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (kr)"), **KRONOR)
    description = LineField(_("description"), max_length=300)
    voucher_reference = LineField(_("voucher reference"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    import_batch = models.ForeignKey(
        ExpenseImport,
        verbose_name=_("imported from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expenses",
    )
    sie_voucher = models.ForeignKey(
        "SieVoucher",
        verbose_name=_("voucher in the books"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            # A credit (a credit note, a correction) reduces its line: only a voucher of the
            # books (SIE import) can bring one; an expense typed in is never negative.
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(sie_voucher__isnull=False),
                name="expense_amount_non_negative_unless_from_the_books",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "date"], name="expense_agreement_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.description}"

    def clean(self):
        super().clean()
        if self.budget_line_id and self.agreement_id:
            if self.budget_line.agreement_id != self.agreement_id:
                raise ValidationError(
                    {"budget_line": _("The budget line must belong to the same agreement.")}
                )


class InKindContribution(models.Model):
    """Hours given in kind that are not costed: volunteer hours entered on their own (the
    hours of sessions and activities are counted where they are logged) and civil-servant
    time."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer hours")
        CIVIL_SERVANT = "civil_servant", _("Civil-servant hours")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="in_kind_contributions",
        verbose_name=_("agreement"),
    )
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("party"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1)
    notional_hourly_value = models.DecimalField(
        _("notional value per hour (kr)"),
        **KRONOR,
        null=True,
        blank=True,
        help_text=_("Optional; shown for information, never counted as cost."),
    )
    description = LineField(_("description"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("in-kind contribution")
        verbose_name_plural = _("in-kind contributions")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="in_kind_hours_non_negative"),
            models.CheckConstraint(
                condition=Q(notional_hourly_value__isnull=True) | Q(notional_hourly_value__gte=0),
                name="in_kind_value_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.hours} h"


# BAS, the chart of accounts Swedish bookkeeping uses: classes 4–7 are the operating costs
# (goods, premises, other external costs, personnel, depreciation). Only these are expenses.
COST_ACCOUNTS = (4000, 7999)


class SieMappingRule(models.Model):
    """Which accounts of the idea-driven party's books (a SIE 4 file) are expenses of which
    budget line: an account range, optionally only transactions tagged with one object of
    one dimension (a cost centre, a project: "LivA"). The most specific rule wins: a rule
    with an object before one without, then the narrower range."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="sie_rules", verbose_name=_("agreement")
    )
    account_from = models.PositiveIntegerField(_("from account"))
    account_to = models.PositiveIntegerField(_("to account"))
    dimension = models.PositiveSmallIntegerField(
        _("dimension"),
        null=True,
        blank=True,
        help_text=_(
            "Optional: the SIE dimension of the object, 1 for a cost centre, 6 for a project."
        ),
    )
    object_id = LineField(
        _("object"),
        max_length=50,
        blank=True,
        help_text=_("The object's code in the accounting program, e.g. LivA."),
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="sie_rules",
        verbose_name=_("budget line"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["account_from", "account_to", "dimension", "object_id", "pk"]
        verbose_name = _("account rule")
        verbose_name_plural = _("account rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(account_from__lte=models.F("account_to")),
                name="sie_rule_range_in_order",
                violation_error_message=_("The first account must not be after the last."),
            ),
            models.CheckConstraint(
                condition=Q(account_from__gte=COST_ACCOUNTS[0], account_to__lte=COST_ACCOUNTS[1]),
                name="sie_rule_cost_accounts",
                violation_error_message=_(
                    "Only cost accounts (4000–7999) can be expenses of a budget line."
                ),
            ),
            models.CheckConstraint(
                condition=Q(dimension__isnull=True, object_id="")
                | (Q(dimension__isnull=False) & ~Q(object_id="")),
                name="sie_rule_object_with_dimension",
                violation_error_message=_("Give both the dimension and the object, or neither."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "account_from", "account_to"],
                condition=Q(dimension__isnull=True),
                name="sie_rule_unique_range",
                violation_error_message=_("A rule for these accounts already exists."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "account_from", "account_to", "dimension", "object_id"],
                condition=Q(dimension__isnull=False),
                name="sie_rule_unique_range_and_object",
                violation_error_message=_(
                    "A rule for these accounts and this object already exists."
                ),
            ),
        ]

    def __str__(self):
        accounts = f"{self.account_from}–{self.account_to}"
        if self.dimension is not None:
            accounts += f" ({self.dimension} {self.object_id})"
        return f"{accounts} → {self.budget_line}"

    def clean(self):
        super().clean()
        if self.budget_line_id and self.agreement_id:
            if self.budget_line.agreement_id != self.agreement_id:
                raise ValidationError(
                    {"budget_line": _("The budget line must belong to the same agreement.")}
                )

    def matches(self, account: int, objects) -> bool:
        """Whether a transaction on ``account`` tagged with ``objects`` ((dimension,
        object) pairs, as strings) falls under this rule."""
        if not self.account_from <= account <= self.account_to:
            return False
        return self.dimension is None or (str(self.dimension), self.object_id) in objects

    @property
    def specificity(self):
        """Sort key: the most specific rule first."""
        return (self.dimension is None, self.account_to - self.account_from, self.account_from)


class SieVoucher(models.Model):
    """A voucher (verifikation) of the idea-driven party's books that an SIE import booked
    expenses from. Its fiscal year, series and number are unique per agreement, so a voucher
    is imported once, whichever file brings it again."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="sie_vouchers",
        verbose_name=_("agreement"),
    )
    import_batch = models.ForeignKey(
        ExpenseImport,
        on_delete=models.PROTECT,
        related_name="sie_vouchers",
        verbose_name=_("imported from"),
    )
    fiscal_year_start = models.DateField(_("first day of the fiscal year"))
    series = LineField(_("voucher series"), max_length=20, blank=True)
    number = LineField(_("voucher number"), max_length=20)
    date = models.DateField(_("date"))
    text = LineField(_("text"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fiscal_year_start", "series", "number"]
        verbose_name = _("voucher in the books")
        verbose_name_plural = _("vouchers in the books")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "fiscal_year_start", "series", "number"],
                name="sie_voucher_imported_once",
            ),
        ]

    def __str__(self):
        return f"{self.series} {self.number} ({self.date:%Y-%m-%d})".strip()
