"""Import of expenses from a CSV export of an accounting system: preview, then all or nothing.

The format (documented in the README):

* a header row naming the columns, in any order (case and spaces ignored):
  ``date`` (or ``datum``), ``budget_line`` (or ``budget line``, ``budgetpost``, ``account``,
  ``konto``), ``amount`` (or ``belopp``), ``voucher`` (or ``verifikation``, ``ver``) and
  optionally ``description`` (or ``text``, ``beskrivning``);
* ``;`` or ``,`` between fields (whichever the header uses more), fields may be quoted
  (a quote that is not closed, or stray text after a closing quote, refuses the file);
* UTF-8 with or without BOM, or Windows-1252;
* dates ISO (2019-05-31); amounts in whole kronor, with a decimal comma or point and
  spaces as thousands separators allowed ("12 345", "12 345,00", "12345.00");
  no negative amounts and no öre;
* the budget line is the text of one of the agreement's budget lines, or its category
  (``personnel``, ``activities`` … or the category's name) when the agreement has only one
  line of that category; case is ignored;
* every row needs a voucher reference: a row whose voucher, date and amount are already
  booked on the agreement is skipped as already imported, and a file whose SHA-256 has
  been imported before imports nothing.

Texts are checked by the Expense model's own fields (length, no control characters), so the
import refuses what the expense form refuses.

One rejected row rejects the import: nothing is written until every row is good.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.text import one_line
from partnership.models import Agreement, BudgetLine, LockedPeriod

from .models import Expense, ExpenseImport

MAX_FILE_BYTES = 2 * 1024 * 1024

COLUMN_ALIASES = {
    "date": {"date", "datum"},
    "budget_line": {"budget_line", "budgetline", "budgetpost", "account", "konto"},
    "amount": {"amount", "belopp"},
    "voucher": {"voucher", "verifikation", "ver", "voucher_reference"},
    "description": {"description", "text", "beskrivning"},
}
REQUIRED = ("date", "budget_line", "amount", "voucher")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


class Fate:
    NEW = "new"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass
class ImportRow:
    line_number: int
    values: dict
    fate: str = Fate.NEW
    reason: str = ""
    date: date | None = None
    budget_line: BudgetLine | None = None
    amount: Decimal | None = None
    description: str = ""
    voucher: str = ""

    def reject(self, reason):
        self.fate = Fate.REJECTED
        self.reason = reason


@dataclass
class ImportPreview:
    sha256: str
    filename: str
    rows: list[ImportRow] = field(default_factory=list)
    error: str = ""
    previous_import: ExpenseImport | None = None

    def count(self, fate):
        return sum(1 for r in self.rows if r.fate == fate)

    @property
    def new_count(self):
        return self.count(Fate.NEW)

    @property
    def duplicate_count(self):
        return self.count(Fate.DUPLICATE)

    @property
    def rejected_count(self):
        return self.count(Fate.REJECTED)

    @property
    def new_total(self):
        return sum((r.amount for r in self.rows if r.fate == Fate.NEW), Decimal("0"))

    @property
    def can_import(self):
        return (
            not self.error
            and self.previous_import is None
            and self.rejected_count == 0
            and self.new_count > 0
        )


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def parse_amount(text: str) -> Decimal:
    """ "12 345,00" / "12345.00" / "1.234,50" → Decimal; raises ValueError."""
    s = SPACES.sub("", text).replace("\u2212", "-")
    if not s:
        raise ValueError
    if "," in s and "." in s:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        s = s.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in s:
        s = s.replace(",", ".") if re.search(r",\d{1,2}$", s) else s.replace(",", "")
    elif "." in s and not re.search(r"\.\d{1,2}$", s):
        s = s.replace(".", "")  # "1.234.567": points as thousands separators
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite():  # "NaN", "Infinity" parse but are no amount
        raise ValueError
    return value


def _header_map(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, name in enumerate(header):
        key = re.sub(r"[\s\-]+", "_", name.strip().lower())
        for column, aliases in COLUMN_ALIASES.items():
            if key in aliases or key.replace("_", "") in aliases:
                columns.setdefault(column, index)
    return columns


def _line_lookup(agreement) -> dict[str, BudgetLine]:
    lines = list(BudgetLine.objects.filter(agreement=agreement).order_by("order", "pk"))
    lookup = {}
    by_category: dict[str, list[BudgetLine]] = {}
    for line in lines:
        by_category.setdefault(line.category, []).append(line)
    for category, members in by_category.items():
        if len(members) == 1:
            lookup[category.lower()] = members[0]
            for language in ("sv", "en"):
                with translation.override(language):
                    lookup[str(BudgetLine.Category(category).label).lower()] = members[0]
    for line in lines:  # a line's own text wins over a category name
        lookup[line.text.strip().lower()] = line
    return lookup


def preview_import(agreement: Agreement, raw: bytes, filename: str) -> ImportPreview:
    """Every row of the file with its fate: new, already imported, or rejected and why.
    A bounded number of queries: budget lines, locks, previous import, existing vouchers."""
    preview = ImportPreview(sha256=hashlib.sha256(raw).hexdigest(), filename=filename)
    preview.previous_import = (
        ExpenseImport.objects.filter(agreement=agreement, file_sha256=preview.sha256)
        .select_related("imported_by")
        .first()
    )
    try:
        text = decode(raw)
    except UnicodeDecodeError:  # five bytes are undefined even in Windows-1252
        preview.error = _("The file is not text in UTF-8 or Windows-1252.")
        return preview
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        preview.error = _("The file is empty.")
        return preview
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    # strict: an unclosed quote is an error, not a field that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    record_starts = []  # the line on which the record being read starts
    try:
        _read_rows(preview, _records(reader, record_starts), agreement)
    except csv.Error as error:
        preview.rows = []
        preview.error = _csv_error_message(error, record_starts[-1])
        return preview
    if not preview.error:
        _mark_duplicates(agreement, preview.rows)
    return preview


def _records(reader, starts):
    """(line number, record) of each record of ``reader``; the line where the record being
    read starts is appended to ``starts`` first, for the message if it cannot be read."""
    while True:
        starts.append(reader.line_num + 1)
        try:
            record = next(reader)
        except StopIteration:
            return
        yield reader.line_num, record


def _csv_error_message(error, line) -> str:
    # The csv module's messages are English and technical; the two it raises here are
    # "field larger than field limit (131072)" and the quoting errors of strict mode.
    if str(error).startswith("field larger than field limit"):
        return _(
            "Line %(line)d has a field longer than %(limit)d characters, far more than any "
            "column of an expense holds."
        ) % {"line": line, "limit": csv.field_size_limit()}
    return _(
        "Line %(line)d cannot be read: a quote is not closed, or there is text after a "
        "closing quote. Quote a field that holds “;”, “,” or a line break, and write a quote "
        'inside it twice ("").'
    ) % {"line": line}


def _read_rows(preview, records, agreement):
    _line, header = next(records, (1, []))
    columns = _header_map(header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        preview.error = _(
            "The header row must name the columns date, budget_line, amount and voucher "
            "(description is optional); missing: %(missing)s."
        ) % {"missing": ", ".join(missing)}
        return

    lines = _line_lookup(agreement)
    locks = list(
        LockedPeriod.objects.filter(agreement=agreement).values_list("start_date", "end_date")
    )
    width = max(columns.values()) + 1
    for line_number, record in records:
        if not any(cell.strip() for cell in record):
            continue
        # Every column has a value to show, even in a row that is too short.
        values = {c: record[i].strip() if i < len(record) else "" for c, i in columns.items()}
        row = ImportRow(line_number=line_number, values=values)
        preview.rows.append(row)
        if len(record) < width:
            row.reject(
                _("Too few columns (%(found)d, expected %(expected)d).")
                % {
                    "found": len(record),
                    "expected": width,
                }
            )
            continue
        _check_row(row, agreement, lines, locks)


def _check_row(row, agreement, lines, locks):
    v = row.values
    errors = []
    if not ISO_DATE.match(v["date"]):
        errors.append(
            _("The date “%(value)s” is not an ISO date (YYYY-MM-DD).") % {"value": v["date"]}
        )
    else:
        try:
            row.date = date.fromisoformat(v["date"])
        except ValueError:
            errors.append(_("The date “%(value)s” does not exist.") % {"value": v["date"]})
    if row.date:
        if not agreement.contains(row.date):
            errors.append(_("The date lies outside the agreement period."))
        elif any(start <= row.date <= end for start, end in locks):
            errors.append(_("The date lies in a locked (approved) period."))
    row.budget_line = lines.get(v["budget_line"].lower())
    if row.budget_line is None:
        errors.append(_("Unknown budget line “%(value)s”.") % {"value": v["budget_line"]})
    try:
        amount = parse_amount(v["amount"])
    except ValueError:
        errors.append(_("The amount “%(value)s” is not a number.") % {"value": v["amount"]})
    else:
        if amount < 0:
            errors.append(_("The amount must not be negative."))
        elif amount != amount.to_integral_value():
            errors.append(_("The amount must be whole kronor."))
        elif amount >= Decimal("1e14"):
            errors.append(_("The amount is too large."))
        else:
            row.amount = amount.quantize(Decimal("1"))
    row.voucher = v["voucher"]
    if not row.voucher:
        errors.append(_("The voucher reference is missing."))
    else:
        errors += _field_errors("voucher_reference", row.voucher)
    row.description = v.get("description") or row.voucher
    errors += _field_errors("description", row.description)
    if errors:
        row.reject(" ".join(errors))


def _field_errors(name, value) -> list[str]:
    """What the Expense model's field ``name`` says about ``value`` (none when it is good)."""
    field = Expense._meta.get_field(name)
    try:
        field.clean(value, None)
    except ValidationError as error:
        label = str(field.verbose_name).capitalize()
        return [
            _("%(field)s: %(problem)s") % {"field": label, "problem": problem}
            for problem in error.messages
        ]
    return []


def _mark_duplicates(agreement, rows):
    candidates = [r for r in rows if r.fate == Fate.NEW]
    existing = set(
        Expense.objects.filter(
            agreement=agreement, voucher_reference__in={r.voucher for r in candidates}
        ).values_list("voucher_reference", "date", "amount")
    )
    seen = {}
    for row in candidates:
        key = (row.voucher, row.date, row.amount)
        if key in existing:
            row.fate = Fate.DUPLICATE
            row.reason = _("Already imported (same voucher, date and amount).")
        elif key in seen:
            row.fate = Fate.DUPLICATE
            row.reason = _("Repeats line %(line)d of this file.") % {"line": seen[key]}
        else:
            seen[key] = row.line_number


class NothingToImport(Exception):
    """The file is refused or has nothing new; ``preview`` says why."""

    def __init__(self, preview):
        super().__init__(preview.error)
        self.preview = preview


@transaction.atomic
def import_expenses(*, agreement, raw: bytes, filename: str, user=None) -> ExpenseImport:
    """Import every new row, or nothing. Imports of one agreement are serialised by a row
    lock on the agreement, so two confirmations of the same file cannot both pass the
    duplicate check; the unique file hash stands behind it."""
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    preview = preview_import(agreement, raw, filename)
    if not preview.can_import:
        raise NothingToImport(preview)
    batch = ExpenseImport.objects.create(
        agreement=agreement,
        file_sha256=preview.sha256,
        filename=one_line(filename, max_length=255) or "upload.csv",
        row_count=preview.new_count,
        imported_by=user,
    )
    expenses = [
        Expense(
            agreement=agreement,
            budget_line=row.budget_line,
            date=row.date,
            amount=row.amount,
            description=row.description,
            voucher_reference=row.voucher,
            registered_by=user,
            import_batch=batch,
        )
        for row in preview.rows
        if row.fate == Fate.NEW
    ]
    bulk_create_with_history(expenses, Expense, batch_size=500, default_user=user)
    return batch
