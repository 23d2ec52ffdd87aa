"""A reader of SIE type 4 files, the export every Swedish accounting program writes (Fortnox,
Visma, Bokio, …), into plain data. It knows nothing of agreements: ``sie_import`` maps what
it reads to expenses.

A small reader of our own: no well-kept SIE library exists on PyPI (docs/guide.md says which were looked at).
It follows the format's description (SIE 4B, SIE-Gruppen) as far as expenses need:

* The file is text in PC8 (IBM code page 437), as the format requires and ``#FORMAT PC8``
  says. Some programs write UTF-8 or Windows-1252 instead, whatever ``#FORMAT`` says;
  ``decode`` tells them apart (UTF-8 by validity, code page 437 and Windows-1252 by which of
  them gives Swedish letters).
* One record per line (CRLF, LF or CR), a label (``#VER``) and fields separated by spaces or
  tabs. A field with a space is quoted ("Hyra maj"); a quote inside it is written ``\\"``.
  An object list is in braces: ``{1 "LivA" 6 "P12"}``, empty ``{}``.
* A voucher is ``#VER series number date [text [registration date [sign]]]`` followed by a
  block ``{`` … ``}`` of ``#TRANS account {objects} amount [date [text [quantity [sign]]]]``.
  ``#RTRANS`` (a row added after registration) is followed by the same row as ``#TRANS``, by
  the format's rule, so it is skipped, as is ``#BTRANS`` (a row removed).
* ``#FLAGGA``, ``#FORMAT``, ``#SIETYP``, ``#PROGRAM``, ``#ORGNR``, ``#FNAMN``, ``#RAR``,
  ``#KONTO``, ``#DIM`` and ``#OBJEKT`` are read; every other label (``#IB``, ``#UB``,
  ``#RES``, ``#PSALDO``, ``#KSUMMA``, …) is skipped, as the format asks of a reader.

What cannot be read as a whole (not SIE 4, a voucher block not closed, a quote not closed in
a line that matters) raises ``SieError`` with the line; a field that cannot be read (an
amount, a date) marks only its voucher or transaction with ``error``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

UTF8_BOM = b"\xef\xbb\xbf"
ENCODING_NAMES = {"cp437": "PC8 (IBM 437)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
SWEDISH_LETTERS = "åäöÅÄÖéÉüÜ"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
LABEL = re.compile(r"#([A-Za-z]+)")
SIE_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# An amount in kronor with at most two decimals (öre); a point, as the format says, or a comma.
AMOUNT = re.compile(r"^-?\d{1,13}([.,]\d{1,2})?$")
ACCOUNT = re.compile(r"^\d{1,10}$")
DOS_EOF = "\x1a"


class SieError(Exception):
    """The file cannot be read as a SIE 4 file; the message says why (and where)."""


@dataclass
class Transaction:
    line: int
    account: str
    objects: list[tuple[str, str]] = field(default_factory=list)
    amount: Decimal | None = None
    text: str = ""
    error: str = ""


@dataclass
class Voucher:
    line: int
    series: str
    number: str
    date: date | None
    text: str = ""
    error: str = ""
    transactions: list[Transaction] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"{self.series} {self.number}".strip()


@dataclass
class SieFile:
    encoding: str
    flag: str = ""
    format: str = ""
    sie_type: str = ""
    program: str = ""
    org_number: str = ""
    company_name: str = ""
    # Year number (0 this year, -1 the one before, …) → (first day, last day).
    years: dict[int, tuple[date, date]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    vouchers: list[Voucher] = field(default_factory=list)

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]

    def fiscal_year_of(self, day: date) -> date | None:
        """The first day of the fiscal year (``#RAR``) that holds ``day``."""
        for start, end in self.years.values():
            if start <= day <= end:
                return start
        return None


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 when the bytes are valid UTF-8 (a PC8 or Windows-1252 file
    with any Swedish letter is not); else PC8 or Windows-1252, whichever reads more Swedish
    letters out of the bytes, PC8 when in doubt (the format's rule)."""
    if raw.startswith(UTF8_BOM):
        try:
            return raw[len(UTF8_BOM) :].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            raw = raw[len(UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8" if not text.isascii() else "cp437"
    pc8 = raw.decode("cp437")  # every byte has a character in code page 437
    try:
        windows = raw.decode("cp1252")
    except UnicodeDecodeError:  # five bytes are undefined in Windows-1252
        return pc8, "cp437"

    def letters(text):
        return sum(text.count(c) for c in SWEDISH_LETTERS)

    if letters(windows) > letters(pc8):
        return windows, "cp1252"
    return pc8, "cp437"


class _Unreadable(Exception):
    pass


def tokens(line: str) -> list:
    """The fields of one line: strings, and lists of strings for ``{…}``. Raises
    ``_Unreadable`` for a quote or a brace that is not closed."""
    top: list = []
    current = top
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            i += 1
            chars = []
            while True:
                if i >= n:
                    raise _Unreadable(_("a quote is not closed"))
                if line[i] == "\\" and i + 1 < n and line[i + 1] == '"':
                    chars.append('"')
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    chars.append(line[i])
                    i += 1
            current.append("".join(chars))
        elif c == "{":
            if current is not top:
                raise _Unreadable(_("a brace opens inside braces"))
            current = []
            top.append(current)
            i += 1
        elif c == "}":
            if current is top:
                raise _Unreadable(_("a brace closes that was not opened"))
            current = top
            i += 1
        else:
            start = i
            while i < n and line[i] not in ' \t"{}':
                i += 1
            current.append(line[start:i])
    if current is not top:
        raise _Unreadable(_("a brace is not closed"))
    return top


def parse_date(value) -> date | None:
    match = SIE_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_amount(value) -> Decimal | None:
    if not isinstance(value, str) or not AMOUNT.match(value):
        return None
    return Decimal(value.replace(",", "."))


def _text(fields, index) -> str:
    value = fields[index] if index < len(fields) else ""
    return value if isinstance(value, str) else ""


def _unreadable(line_number, reason) -> SieError:
    return SieError(
        _("Line %(line)d cannot be read: %(reason)s.") % {"line": line_number, "reason": reason}
    )


def parse(raw: bytes) -> SieFile:
    """The file read; raises ``SieError`` if it is not a readable SIE 4 file."""
    text, encoding = decode(raw)
    sie = SieFile(encoding=encoding)
    voucher: Voucher | None = None  # the voucher whose block is open, or awaits its "{"
    in_block = False
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        stripped = line.strip(" \t" + DOS_EOF)
        if not stripped:
            continue
        if stripped == "{":
            if voucher is None or in_block:
                raise SieError(
                    _("Line %(line)d opens a block “{” that no #VER comes before.")
                    % {"line": number}
                )
            in_block = True
            continue
        if stripped == "}":
            if not in_block:
                raise SieError(
                    _("Line %(line)d closes a block “}” that was not opened.") % {"line": number}
                )
            in_block, voucher = False, None
            continue
        label_match = LABEL.match(stripped)
        if not label_match:
            raise SieError(
                _("Line %(line)d is not a SIE record: it should begin with a label such as #VER.")
                % {"line": number}
            )
        label = label_match.group(1).upper()
        if voucher is not None and not in_block:
            raise SieError(
                _("The voucher on line %(line)d is not followed by its block “{”.")
                % {"line": voucher.line}
            )
        if in_block:
            if label in ("RTRANS", "BTRANS"):
                continue
            if label != "TRANS":
                raise SieError(
                    _("Line %(line)d: only #TRANS rows belong in a voucher's block.")
                    % {"line": number}
                )
            voucher.transactions.append(_transaction(number, _fields(number, stripped)))
            continue
        if label not in READERS:
            continue  # a label this reader does not need (#IB, #UB, #KSUMMA, …)
        fields = _fields(number, stripped)
        made = READERS[label](sie, number, fields)
        if isinstance(made, Voucher):
            voucher = made
            sie.vouchers.append(made)
    if voucher is not None:
        raise SieError(
            _("The voucher on line %(line)d is not closed with “}”.") % {"line": voucher.line}
        )
    if not sie.sie_type:
        raise SieError(_("This is not a SIE file: it has no #SIETYP."))
    if sie.sie_type != "4":
        raise SieError(
            _("This is a SIE file of type %(type)s; only type 4 holds the vouchers.")
            % {"type": sie.sie_type}
        )
    return sie


def _fields(number, line) -> list:
    try:
        return tokens(line)[1:]
    except _Unreadable as error:
        raise _unreadable(number, error) from None


def _transaction(number, fields) -> Transaction:
    account = _text(fields, 0)
    transaction = Transaction(line=number, account=account)
    rest = fields[1:]
    if rest and isinstance(rest[0], list):
        pairs = rest[0]
        rest = rest[1:]
        if len(pairs) % 2:
            transaction.error = _("The object list must hold pairs of dimension and object.")
        transaction.objects = list(zip(pairs[::2], pairs[1::2], strict=False))
    transaction.amount = parse_amount(_text(rest, 0))
    transaction.text = _text(rest, 2)
    if not ACCOUNT.match(account):
        transaction.error = _("The account “%(value)s” is not an account number.") % {
            "value": account
        }
    elif transaction.amount is None:
        transaction.error = _(
            "The amount “%(value)s” is not an amount in kronor with at most two decimals."
        ) % {"value": _text(rest, 0)}
    return transaction


def _read_value(attribute):
    def read(sie, number, fields):
        setattr(sie, attribute, _text(fields, 0))

    return read


def _read_program(sie, number, fields):
    sie.program = " ".join(f for f in fields if isinstance(f, str))


def _read_year(sie, number, fields):
    start, end = parse_date(_text(fields, 1)), parse_date(_text(fields, 2))
    try:
        year = int(_text(fields, 0))
    except ValueError:
        year = None
    if year is None or start is None or end is None or end < start:
        raise SieError(
            _("Line %(line)d: #RAR needs a year number and its first and last day (YYYYMMDD).")
            % {"line": number}
        )
    sie.years[year] = (start, end)


def _read_account(sie, number, fields):
    sie.accounts[_text(fields, 0)] = _text(fields, 1)


def _read_dimension(sie, number, fields):
    sie.dimensions[_text(fields, 0)] = _text(fields, 1)


def _read_object(sie, number, fields):
    sie.objects[(_text(fields, 0), _text(fields, 1))] = _text(fields, 2)


def _read_voucher(sie, number, fields) -> Voucher:
    voucher = Voucher(
        line=number,
        series=_text(fields, 0),
        number=_text(fields, 1),
        date=parse_date(_text(fields, 2)),
        text=_text(fields, 3),
    )
    if voucher.date is None:
        voucher.error = _("The voucher's date “%(value)s” is not a date (YYYYMMDD).") % {
            "value": _text(fields, 2)
        }
    elif not voucher.number:
        voucher.error = _("The voucher has no number.")
    return voucher


READERS = {
    "FLAGGA": _read_value("flag"),
    "FORMAT": _read_value("format"),
    "SIETYP": _read_value("sie_type"),
    "PROGRAM": _read_program,
    "ORGNR": _read_value("org_number"),
    "FNAMN": _read_value("company_name"),
    "RAR": _read_year,
    "KONTO": _read_account,
    "DIM": _read_dimension,
    "OBJEKT": _read_object,
    "VER": _read_voucher,
}
