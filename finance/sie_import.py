"""Import of expenses from the idea-driven party's books, a SIE 4 file (``finance.sie``):
preview, then all or nothing, idempotent. The README says it for users.

* ``#ORGNR`` must be the organisation number of the agreement's idea-driven party.
* Each transaction (``#TRANS``) of each voucher gets a fate:
  - *mapped* to a budget line by the agreement's account rules (``SieMappingRule``, the most
    specific rule that matches the account and the transaction's objects);
  - *ignored*: not a cost account (BAS classes 4–7, accounts 4000–7999: the bank, VAT and
    income rows of a voucher are not expenses), no rule for the account or its objects,
    or dated outside the agreement period;
  - *already imported*: its voucher (fiscal year, series and number) was imported before;
  - *rejected*, with the reason: a field that cannot be read, a voucher that does not
    balance (its rows must add up to 0, debits equal to credits, as in any bookkeeping), a
    date in a locked (approved) period or in the future, a voucher twice in the file.
* The mapped transactions of one voucher and one budget line become one expense: their sum,
  debits less credits, so a credit note or a correction reduces the line (and may be an
  expense below zero). The sum in öre is rounded to whole kronor once per expense, half a
  krona away from zero (ROUND_HALF_UP): 0.50 → 1, -0.50 → -1, 1 234.49 → 1 234.
* The expense's date is the voucher's date; its description the voucher's text (or the
  first transaction's); its voucher reference "series number" (e.g. "A 12").
* One rejected transaction refuses the whole file; a file whose SHA-256 was imported before
  imports nothing; a voucher already imported is skipped (a unique constraint stands behind
  it), so a later export of the same year imports only the new vouchers.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.formatting import NBSP
from core.text import one_line
from partnership.models import Agreement, BudgetLine, LockedPeriod, Party

from .expense_import import NothingToImport
from .models import COST_ACCOUNTS, Expense, ExpenseImport, SieMappingRule, SieVoucher
from .sie import SieError, SieFile, Transaction, Voucher, parse

MAX_FILE_BYTES = 10 * 1024 * 1024
LARGEST_EXPENSE = Decimal("1e13")


class Fate:
    MAPPED = "mapped"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass
class TransactionRow:
    voucher: Voucher
    transaction: Transaction
    account_name: str = ""
    fate: str = Fate.MAPPED
    reason: str = ""
    budget_line: BudgetLine | None = None

    def set(self, fate, reason=""):
        self.fate, self.reason = fate, reason

    @property
    def amount_text(self) -> str:
        """The amount as in the books, kronor and öre: "−1 234,50 kr"."""
        return kronor_and_ore(self.transaction.amount)

    @property
    def objects_text(self) -> str:
        return ", ".join(f"{dim}: {obj}" for dim, obj in self.transaction.objects)


@dataclass
class PlannedExpense:
    voucher: Voucher
    fiscal_year_start: date
    budget_line: BudgetLine
    exact: Decimal  # kronor and öre, as in the books
    amount: Decimal = Decimal("0")  # whole kronor
    description: str = ""


@dataclass
class SiePreview:
    sha256: str
    filename: str
    error: str = ""
    previous_import: ExpenseImport | None = None
    sie: SieFile | None = None
    rows: list[TransactionRow] = field(default_factory=list)
    expenses: list[PlannedExpense] = field(default_factory=list)

    def count(self, fate):
        return sum(1 for r in self.rows if r.fate == fate)

    @property
    def mapped_count(self):
        return self.count(Fate.MAPPED)

    @property
    def ignored_count(self):
        return self.count(Fate.IGNORED)

    @property
    def duplicate_count(self):
        return self.count(Fate.DUPLICATE)

    @property
    def rejected_count(self):
        return self.count(Fate.REJECTED)

    def ignored_by_account(self):
        """The ignored rows grouped: [(account, account name, reason, count, sum as text)],
        by account. A year's books have thousands of bank and VAT rows; one line each says
        their fate as well as a row each would."""
        groups: dict[tuple[str, str], list[TransactionRow]] = defaultdict(list)
        for row in self.rows:
            if row.fate == Fate.IGNORED:
                groups[(row.transaction.account, row.reason)].append(row)
        return [
            (
                account,
                rows[0].account_name,
                reason,
                len(rows),
                kronor_and_ore(sum((r.transaction.amount for r in rows), Decimal("0"))),
            )
            for (account, reason), rows in sorted(
                groups.items(), key=lambda item: (item[0][0].zfill(10), item[0][1])
            )
        ]

    @property
    def listed_rows(self):
        """The rows shown in the main table: every fate but ignored."""
        return [r for r in self.rows if r.fate != Fate.IGNORED]

    @property
    def total(self):
        return sum((e.amount for e in self.expenses), Decimal("0"))

    def totals_by_line(self):
        """[(budget line, whole kronor)] of the expenses to be imported, in line order."""
        totals = defaultdict(Decimal)
        for expense in self.expenses:
            totals[expense.budget_line] += expense.amount
        return sorted(totals.items(), key=lambda item: (item[0].order, item[0].pk))

    @property
    def can_import(self):
        return (
            not self.error
            and self.previous_import is None
            and self.rejected_count == 0
            and bool(self.expenses)
        )


def org_number_digits(value: str) -> str:
    """The ten digits of an organisation number, with or without a hyphen or the "16" of
    the twelve-digit form."""
    digits = re.sub(r"\D", "", value or "")
    return digits[2:] if len(digits) == 12 and digits.startswith("16") else digits


def kronor_and_ore(amount: Decimal | None) -> str:
    """ "−1 234,50 kr": groups and the unit after no-break spaces, as ``core.formatting``."""
    if amount is None:
        return ""
    cents = int(abs(amount.quantize(Decimal("0.01"))) * 100)
    whole = f"{cents // 100:,}".replace(",", NBSP)
    return f"{'−' if amount < 0 else ''}{whole},{cents % 100:02d}{NBSP}kr"


def round_to_kronor(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def preview_sie(agreement: Agreement, raw: bytes, filename: str) -> SiePreview:
    """Every transaction of the file with its fate, and the expenses an import would book.
    A bounded number of queries: the previous import, the party, rules, locks, vouchers."""
    preview = SiePreview(sha256=hashlib.sha256(raw).hexdigest(), filename=filename)
    preview.previous_import = (
        ExpenseImport.objects.filter(agreement=agreement, file_sha256=preview.sha256)
        .select_related("imported_by")
        .first()
    )
    if not raw.strip():
        preview.error = _("The file is empty.")
        return preview
    try:
        sie = parse(raw)
    except SieError as error:
        preview.error = str(error)
        return preview
    preview.sie = sie
    preview.error = _org_number_error(agreement, sie)
    if preview.error:
        return preview
    if not sie.years:
        preview.error = _("The file names no fiscal year (#RAR).")
        return preview
    _give_fates(agreement, sie, preview)
    _plan_expenses(preview)
    return preview


def _org_number_error(agreement, sie) -> str:
    party = agreement.party_of_role(Party.Role.IDEA_DRIVEN)
    if party is None:
        return _("The agreement has no idea-driven party whose books these could be.")
    organisation = party.organisation
    if not sie.org_number:
        return _(
            "The file does not say whose books it holds (no #ORGNR); export it again with the "
            "organisation number."
        )
    if org_number_digits(sie.org_number) != org_number_digits(organisation.org_number):
        return _(
            "These are the books of organisation number %(file)s, but the idea-driven party "
            "of this agreement is %(name)s, %(number)s."
        ) % {"file": sie.org_number, "name": organisation.name, "number": organisation.org_number}
    return ""


def _field_problem(model, name, value) -> str:
    """What ``model``'s field ``name`` says about ``value``, or ""."""
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _voucher_problem(voucher) -> str:
    if voucher.error:
        return voucher.error
    for name, value in (("series", voucher.series), ("number", voucher.number)):
        problem = _field_problem(SieVoucher, name, value)
        if problem:
            label = str(SieVoucher._meta.get_field(name).verbose_name).capitalize()
            return _("%(field)s: %(problem)s") % {"field": label, "problem": problem}
    amounts = [trans.amount for trans in voucher.transactions]
    # A row that cannot be read says so itself; only a voucher read whole can be summed.
    if None not in amounts and (total := sum(amounts, Decimal(0))) != 0:
        # An accounting program never writes it: the file was edited or cut by hand.
        return _(
            "Voucher %(voucher)s does not balance: its rows add up to %(sum)s, not 0, so the "
            "file is not as the accounting program wrote it."
        ) % {"voucher": voucher.reference, "sum": kronor_and_ore(total)}
    return ""


def _rule_for(rules, account, objects):
    return next((rule for rule in rules if rule.matches(account, objects)), None)


def _give_fates(agreement, sie, preview):
    rules = sorted(
        SieMappingRule.objects.filter(agreement=agreement).select_related("budget_line"),
        key=lambda rule: rule.specificity,
    )
    locks = list(
        LockedPeriod.objects.filter(agreement=agreement).values_list("start_date", "end_date")
    )
    imported = set(
        SieVoucher.objects.filter(agreement=agreement).values_list(
            "fiscal_year_start", "series", "number"
        )
    )
    today = timezone.localdate()
    keys_in_file = defaultdict(list)
    for voucher in sie.vouchers:
        if voucher.date and (year := sie.fiscal_year_of(voucher.date)):
            keys_in_file[(year, voucher.series, voucher.number)].append(voucher.line)

    for voucher in sie.vouchers:
        voucher_problem = _voucher_problem(voucher)
        year = sie.fiscal_year_of(voucher.date) if voucher.date else None
        key = (year, voucher.series, voucher.number)
        for trans in voucher.transactions:
            row = TransactionRow(
                voucher=voucher, transaction=trans, account_name=sie.accounts.get(trans.account, "")
            )
            preview.rows.append(row)
            if trans.error or voucher_problem:
                row.set(Fate.REJECTED, trans.error or voucher_problem)
                continue
            account = int(trans.account)
            if not COST_ACCOUNTS[0] <= account <= COST_ACCOUNTS[1]:
                row.set(Fate.IGNORED, _("Not a cost account."))
                continue
            rule = _rule_for(rules, account, set(trans.objects))
            if rule is None:
                row.set(Fate.IGNORED, _("No account rule covers this account and its objects."))
                continue
            row.budget_line = rule.budget_line
            if not agreement.contains(voucher.date):
                row.set(Fate.IGNORED, _("Dated outside the agreement period."))
            elif year is None:
                row.set(
                    Fate.REJECTED,
                    _("The voucher's date lies in none of the file's fiscal years (#RAR)."),
                )
            elif key in imported:
                row.set(
                    Fate.DUPLICATE,
                    _("Voucher %(voucher)s of the fiscal year from %(year)s is already imported.")
                    % {"voucher": voucher.reference, "year": year.isoformat()},
                )
            elif len(keys_in_file[key]) > 1:
                row.set(
                    Fate.REJECTED,
                    _("Voucher %(voucher)s is in the file more than once (lines %(lines)s).")
                    % {
                        "voucher": voucher.reference,
                        "lines": ", ".join(str(n) for n in keys_in_file[key]),
                    },
                )
            elif any(start <= voucher.date <= end for start, end in locks):
                row.set(Fate.REJECTED, _("The date lies in a locked (approved) period."))
            elif voucher.date > today:
                row.set(Fate.REJECTED, _("The date cannot be in the future."))


def _plan_expenses(preview):
    """One expense per voucher and budget line, of the mapped rows, when the sum is not 0."""
    planned: dict[tuple[int, int], PlannedExpense] = {}
    sie = preview.sie
    for row in preview.rows:
        if row.fate != Fate.MAPPED:
            continue
        voucher = row.voucher
        key = (id(voucher), row.budget_line.pk)
        if key not in planned:
            text = voucher.text or row.transaction.text or voucher.reference
            planned[key] = PlannedExpense(
                voucher=voucher,
                fiscal_year_start=sie.fiscal_year_of(voucher.date),
                budget_line=row.budget_line,
                exact=Decimal("0"),
                description=one_line(text, max_length=300),
            )
        planned[key].exact += row.transaction.amount
    for expense in planned.values():
        expense.amount = round_to_kronor(expense.exact)
        if abs(expense.amount) >= LARGEST_EXPENSE:
            for row in preview.rows:
                if row.voucher is expense.voucher and row.fate == Fate.MAPPED:
                    row.set(Fate.REJECTED, _("The amount is too large."))
    preview.expenses = [e for e in planned.values() if e.amount and abs(e.amount) < LARGEST_EXPENSE]
    if preview.rejected_count:
        preview.expenses = []


@transaction.atomic
def import_sie(*, agreement, raw: bytes, filename: str, user=None) -> ExpenseImport:
    """Book every planned expense of the file, or nothing. Imports of one agreement are
    serialised by a row lock on the agreement; the unique file hash and the unique voucher
    (fiscal year, series, number) stand behind the checks."""
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    preview = preview_sie(agreement, raw, filename)
    if not preview.can_import:
        raise NothingToImport(preview)
    batch = ExpenseImport.objects.create(
        agreement=agreement,
        file_sha256=preview.sha256,
        filename=one_line(filename, max_length=255) or "upload.se",
        row_count=len(preview.expenses),
        imported_by=user,
    )
    # Every voucher with a mapped row is recorded, also one whose rows net to 0 kr.
    vouchers = {}
    for row in preview.rows:
        if row.fate == Fate.MAPPED and id(row.voucher) not in vouchers:
            v = row.voucher
            vouchers[id(v)] = SieVoucher(
                agreement=agreement,
                import_batch=batch,
                fiscal_year_start=preview.sie.fiscal_year_of(v.date),
                series=v.series,
                number=v.number,
                date=v.date,
                text=one_line(v.text, max_length=300),
            )
    bulk_create_with_history(list(vouchers.values()), SieVoucher, default_user=user)
    stored = {
        (v.fiscal_year_start, v.series, v.number): v
        for v in SieVoucher.objects.filter(import_batch=batch)
    }
    expenses = [
        Expense(
            agreement=agreement,
            budget_line=planned.budget_line,
            date=planned.voucher.date,
            amount=planned.amount,
            description=planned.description,
            voucher_reference=planned.voucher.reference,
            registered_by=user,
            import_batch=batch,
            sie_voucher=stored[
                (planned.fiscal_year_start, planned.voucher.series, planned.voucher.number)
            ],
        )
        for planned in preview.expenses
    ]
    bulk_create_with_history(expenses, Expense, batch_size=500, default_user=user)
    return batch
