"""The auditor bundle (revisionspaket): one zip with what an auditor asks for, streamed.

* the agreement's text with its parties, commitments, budget and amendments;
* every frozen report PDF (interim, final and the financial close-out: all are report
  versions), checked against the SHA-256 recorded at submission as it is read;
* the figures as readable tables (CSV, headers in the user's language): budget per line,
  visits per month with the disclosure control applied (``reporting.disclosure``), payments,
  repayments, expenses with their vouchers, in-kind hours, meetings, decisions, action items
  and lessons; every value through ``core.spreadsheet``, so no user text runs as a formula;
* the dialogue log as plain text;
* documents (``dokument/``) from any iterable of ``(path, open file, sha256)``
  (``document_entries``);
* a manifest (``manifest.txt`` and ``manifest.json``: the agreement, when, by whom, every
  file with its size and SHA-256) and ``SHA256SUMS`` in the format ``sha256sum -c`` reads.

The zip is written piece by piece to a sink that is emptied after every piece
(``stream_bundle``): files are read in chunks of ``CHUNK_SIZE``, so a bundle of a few hundred
MB never sits in memory. The view checks every frozen PDF first (``check_frozen_pdfs``) and
answers with a page when one is damaged; a file that changes while the bundle is being sent
stops the stream (no valid zip is ever sent with a bad file in it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.downloads import file_name
from core.spreadsheet import csv_row
from core.stored import StoredFileDamaged, verified_chunks, verify
from dialogue.models import ActionItem, Decision, LearningEntry, Meeting
from documents.models import Document
from finance.budget import budget_figures
from finance.models import Expense, InKindContribution, Payment, Repayment
from visits.models import Gender, VisitorCount

from .disclosure import Publication
from .frozen import FrozenPdfDamaged, frozen_pdf_chunks, verify_frozen_pdf
from .models import ReportVersion

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
CSV_ROWS_PER_CHUNK = 500


@dataclass(frozen=True)
class Entry:
    """A file of the bundle: its path in the zip and a function giving its bytes in chunks."""

    path: str
    chunks: Callable[[], Iterator[bytes]]


@dataclass(frozen=True)
class Written:
    path: str
    size: int
    sha256: str


class DocumentDamaged(Exception):
    """A document's stored file no longer has its recorded SHA-256 (logged)."""

    def __init__(self, path):
        super().__init__(path)
        self.path = path


def _name(stem, extension) -> str:
    """A file name of the bundle from a (translated) stem, made safe (``core.downloads``)."""
    return file_name(stem, extension)


def _folder(name) -> str:
    return file_name(name, "x")[:-2]


def _path(folder, stem, extension="csv") -> str:
    return f"{folder}/{_name(stem, extension)}"


def _label(label, value) -> str:
    """ "Label: value", the label translated (gettext finds no call inside an f-string)."""
    return f"{label}: {value}"


# --- the entries --------------------------------------------------------------------------


def text_entry(path, text: str) -> Entry:
    def chunks():
        data = text.encode("utf-8")
        for start in range(0, len(data), CHUNK_SIZE):
            yield data[start : start + CHUNK_SIZE]

    return Entry(path, chunks)


def csv_entry(path, header, rows: Callable[[], Iterable]) -> Entry:
    """A CSV file (UTF-8 with a byte order mark, as the app's other CSV exports) whose rows
    are made when it is written, a few hundred at a time."""

    def chunks():
        out = io.StringIO()
        out.write("\ufeff")  # Excel reads UTF-8 (å, ä, ö) with it
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(csv_row(header))
        for i, row in enumerate(rows(), start=1):
            writer.writerow(csv_row(row))
            if i % CSV_ROWS_PER_CHUNK == 0:
                yield out.getvalue().encode("utf-8")
                out.seek(0)
                out.truncate()
        yield out.getvalue().encode("utf-8")

    return Entry(path, chunks)


def _document_source(file):
    """What ``core.stored`` reads: a function that opens the file (given open, or as one)."""
    return file if callable(file) else (lambda: file)


def _document_what(path) -> str:
    return f"Document {path} of the auditor bundle"


def checked_chunks(file, sha256: str, path: str) -> Iterator[bytes]:
    """The chunks of a file (open, or a function that opens it: then it is opened only when
    its turn comes), the last only once the whole file matches ``sha256``
    (``core.stored.verified_chunks``): DocumentDamaged (logged) otherwise."""
    try:
        yield from verified_chunks(
            _document_source(file), sha256, what=_document_what(path), chunk_size=CHUNK_SIZE
        )
    except StoredFileDamaged:
        raise DocumentDamaged(path) from None


def document_entries(documents: Iterable[tuple[str, object, str]]) -> list[Entry]:
    """Entries under ``dokument/`` for ``(path, file, sha256)`` triples (the documents app
    gives them: the path below the folder, e.g. "överenskommelse/undertecknad.pdf"; the file
    open, or better a function that opens it, e.g. a ``FieldFile``'s ``open``, so that not
    every file is open at once). Each file is checked against its SHA-256 as it is read.
    Every part of the path is made safe; ".." and empty parts are dropped."""
    folder = _folder(_("documents"))
    entries = []
    for path, file, sha256 in documents:
        parts = [_folder(part) for part in str(path).split("/") if part.strip(" .")]
        stem, _dot, extension = parts[-1].rpartition(".") if parts else ("", "", "")
        parts[-1:] = [_name(stem, extension) if stem else _folder(extension or "document")]
        inside = "/".join([folder, *parts])
        entries.append(Entry(inside, lambda f=file, s=sha256, p=inside: checked_chunks(f, s, p)))
    return entries


def agreement_documents(agreement) -> list[tuple[str, object, str]]:
    """The ``(path, opener, sha256)`` of every document of the agreement and of its
    amendments, expenses, meetings and reports (``documents``), for ``document_entries``:
    one folder per row a document is attached to; each file opened only when its turn
    comes."""
    return [
        (d.bundle_path.removeprefix("documents/"), d.file.open, d.sha256)
        for d in Document.objects.for_agreement(agreement)
    ]


def check_documents(documents) -> None:
    """DocumentDamaged (logged) when any of ``documents`` (as ``agreement_documents`` gives
    them) is missing or altered. Reads each file in chunks: nothing sits in memory."""
    for path, file, sha256 in documents:
        try:
            verify(_document_source(file), sha256, what=_document_what(path), chunk_size=CHUNK_SIZE)
        except StoredFileDamaged:
            raise DocumentDamaged(path) from None


def _versions(agreement):
    return (
        ReportVersion.objects.filter(report__agreement=agreement)
        .select_related("report__deadline")
        .order_by("report__deadline__due_date", "report__pk", "number")
    )


def report_entries(agreement) -> list[Entry]:
    folder = _folder(_("reports"))
    entries = []
    for v in _versions(agreement):
        d = v.report.deadline
        version = _("version")
        stem = f"{d.due_date.isoformat()} {d.get_kind_display()} {version} {v.number}"
        path = f"{folder}/{_name(f'{stem} ({v.report_id})', 'pdf')}"
        entries.append(Entry(path, lambda v=v: frozen_pdf_chunks(v, CHUNK_SIZE)))
    return entries


def check_frozen_pdfs(agreement) -> None:
    """FrozenPdfDamaged (logged) when any frozen PDF of the agreement is missing or altered.
    Reads each file in chunks: nothing sits in memory."""
    for version in _versions(agreement):
        verify_frozen_pdf(version, CHUNK_SIZE)


# --- the tables -----------------------------------------------------------------------------


def _kr(value):
    return int(value)


def _hours(value):
    """Hours with one decimal, whichever database summed them ("3.0", not "3")."""
    return Decimal(value).quantize(Decimal("0.1"))


def budget_entry(agreement, folder) -> Entry:
    header = [
        _("Budget line"),
        _("Category"),
        _("Budget (kr)"),
        _("Outcome (kr)"),
        _("Forecast (kr)"),
        _("Deviation (kr)"),
    ]

    def rows():
        figures = budget_figures(agreement)
        for f in figures.lines:
            yield [
                f.line.text,
                f.line.get_category_display(),
                _kr(f.budget),
                _kr(f.outcome),
                _kr(f.forecast),
                _kr(f.deviation),
            ]
        yield [
            _("Total"),
            "",
            _kr(figures.budget_total),
            _kr(figures.outcome_total),
            _kr(figures.forecast_total),
            _kr(figures.deviation_total),
        ]

    return csv_entry(_path(folder, _("budget")), header, rows)


def visits_by_month(agreement) -> tuple[list, list]:
    """(header, rows) of the visits per month and gender, with their totals, as they may be
    published: one table of ``reporting.disclosure`` (a count of 1–4 shows as "< 5", and
    no suppressed count can be worked out from the totals)."""
    genders = list(Gender)
    per_month = {}
    for row in (
        VisitorCount.objects.filter(session__agreement=agreement)
        .annotate(month=TruncMonth("session__date"))
        .values("month", "gender")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        per_month.setdefault(row["month"], {})[row["gender"]] = int(row["n"])
    months = sorted(per_month)
    matrix = [[per_month[m].get(g.value, 0) for g in genders] for m in months]
    header = [_("Month"), *[g.label for g in genders], _("Total")]
    if not months:
        return header, []
    publication = Publication()
    keys = publication.table("visits", matrix)
    shown = publication.protect()
    rows = [
        [month.strftime("%Y-%m"), *[shown[k] for k in cells], shown[total]]
        for month, cells, total in zip(months, keys["cells"], keys["rows"], strict=True)
    ]
    rows.append([_("Total"), *[shown[k] for k in keys["columns"]], shown[keys["total"]]])
    return header, rows


def visits_entry(agreement, folder) -> Entry:
    header, rows = visits_by_month(agreement)
    return csv_entry(_path(folder, _("visits per month")), header, lambda: rows)


def payments_entry(agreement, folder) -> Entry:
    header = [_("Date"), _("Reference"), _("Note"), _("Amount (kr)")]

    def rows():
        for p in Payment.objects.filter(agreement=agreement).order_by("date", "pk").iterator():
            yield [p.date, p.reference, p.note, _kr(p.amount)]

    return csv_entry(_path(folder, _("payments")), header, rows)


def repayments_entry(agreement, folder) -> Entry:
    header = [_("Date"), _("Reference"), _("Amount (kr)")]

    def rows():
        for r in Repayment.objects.filter(agreement=agreement).order_by("date", "pk").iterator():
            yield [r.date, r.reference, _kr(r.amount)]

    return csv_entry(_path(folder, _("repayments")), header, rows)


def expenses_entry(agreement, folder) -> Entry:
    header = [
        _("Date"),
        _("Budget line"),
        _("Description"),
        _("Voucher"),
        _("Voucher series"),
        _("Voucher number"),
        _("Amount (kr)"),
    ]

    def rows():
        expenses = (
            Expense.objects.filter(agreement=agreement)
            .select_related("budget_line", "sie_voucher")
            .order_by("date", "pk")
        )
        for e in expenses.iterator(chunk_size=2000):
            voucher = e.sie_voucher
            yield [
                e.date,
                e.budget_line.text,
                e.description,
                e.voucher_reference,
                voucher.series if voucher else "",
                voucher.number if voucher else "",
                _kr(e.amount),
            ]

    return csv_entry(_path(folder, _("expenses")), header, rows)


def in_kind_entry(agreement, folder) -> Entry:
    header = [
        _("Date"),
        _("Kind"),
        _("Party"),
        _("Hours"),
        _("Notional value per hour (kr)"),
        _("Description"),
    ]

    def rows():
        entries = (
            InKindContribution.objects.filter(agreement=agreement)
            .select_related("party__organisation")
            .order_by("date", "pk")
        )
        for c in entries.iterator():
            yield [
                c.date,
                c.get_kind_display(),
                c.party.organisation.name if c.party else "",
                _hours(c.hours),
                "" if c.notional_hourly_value is None else _kr(c.notional_hourly_value),
                c.description,
            ]
        # The hours logged with the sessions and activities, counted where they are logged.
        hours = budget_figures(agreement).in_kind
        yield [
            "",
            _("Volunteer hours of the sessions (sum)"),
            "",
            _hours(hours["session_volunteer_hours"]),
            "",
            "",
        ]
        yield [
            "",
            _("Volunteer hours of the activities (sum)"),
            "",
            _hours(hours["activity_volunteer_hours"]),
            "",
            "",
        ]

    return csv_entry(_path(folder, _("in-kind hours")), header, rows)


def meetings_entry(agreement, folder) -> Entry:
    header = [_("Date"), _("Kind"), _("Present"), _("Minutes")]

    def rows():
        meetings = (
            Meeting.objects.filter(agreement=agreement)
            .prefetch_related("organisations")
            .order_by("date", "pk")
        )
        for m in meetings:
            present = ", ".join(sorted(o.name for o in m.organisations.all()))
            yield [m.date, m.get_kind_display(), present, m.minutes]

    return csv_entry(_path(folder, _("meetings")), header, rows)


def decisions_entry(agreement, folder) -> Entry:
    header = [_("Meeting date"), _("Meeting"), _("Decision"), _("Budget line")]

    def rows():
        decisions = (
            Decision.objects.filter(meeting__agreement=agreement)
            .select_related("meeting", "budget_line")
            .order_by("meeting__date", "meeting__pk", "pk")
        )
        for d in decisions:
            line = d.budget_line.text if d.budget_line else ""
            yield [d.meeting.date, d.meeting.get_kind_display(), d.text, line]

    return csv_entry(_path(folder, _("decisions")), header, rows)


def action_items_entry(agreement, folder) -> Entry:
    header = [_("Action item"), _("Owning party"), _("Meeting date"), _("Due date"), _("Done on")]

    def rows():
        items = (
            ActionItem.objects.filter(agreement=agreement)
            .select_related("party__organisation", "meeting")
            .order_by("pk")
        )
        for item in items:
            meeting = item.meeting.date if item.meeting else ""
            yield [item.text, item.party.organisation.name, meeting, item.due_date, item.done_on]

    return csv_entry(_path(folder, _("action items")), header, rows)


def lessons_entry(agreement, folder) -> Entry:
    header = [_("Date"), _("Theme"), _("Party"), _("Lesson")]

    def rows():
        lessons = (
            LearningEntry.objects.filter(agreement=agreement)
            .select_related("party__organisation")
            .order_by("date", "pk")
        )
        for e in lessons:
            yield [e.date, e.get_theme_display(), e.party.organisation.name, e.text]

    return csv_entry(_path(folder, _("learning log")), header, rows)


def _period(agreement) -> str:
    return f"{agreement.start_date.isoformat()} – {agreement.end_date.isoformat()}"


# --- the texts ------------------------------------------------------------------------------


def agreement_text(agreement) -> str:
    """The agreement as text: its sections word for word, the parties with their preambles
    and commitments, the budget, the signing and every amendment."""
    parts = [agreement.title, "=" * len(agreement.title), ""]
    parts.append(_label(_("Case number (diarienummer)"), agreement.case_number or "–"))
    parts.append(_label(_("Agreement period"), _period(agreement)))
    parties = list(agreement.parties.select_related("organisation"))
    for party in parties:
        parts.append(
            f"{party.get_role_display()}: {party.organisation.name} ({party.organisation.org_number})"
        )
    parts.append("")
    for heading, text in agreement.sections():
        parts += [str(heading).upper(), text, ""]
    commitments = list(agreement.commitments.select_related("party__organisation"))
    if commitments:
        parts.append(_("Commitments").upper())
        for party in parties:
            own = [c for c in commitments if c.party_id == party.pk]
            if not own and not party.commitments_preamble:
                continue
            parts.append(party.organisation.name)
            if party.commitments_preamble:
                parts.append(party.commitments_preamble)
            parts += [f"- {c.text}" for c in own]
            parts.append("")
    lines = agreement.budget_lines.all()
    if lines:
        parts.append(_("Budget").upper())
        parts += [f"- {line.text}: {int(line.amount)} kr" for line in lines]
        parts.append("")
    if agreement.signing_date or agreement.signing_place:
        signed = agreement.signing_date.isoformat() if agreement.signing_date else ""
        parts += [_label(_("Signed"), f"{agreement.signing_place} {signed}".strip()), ""]
    for amendment in agreement.amendments.all():
        parts += [str(amendment).upper(), amendment.date.isoformat(), amendment.text, ""]
    return "\n".join(parts)


def dialogue_text(agreement) -> str:
    """The dialogue log as plain text, oldest first."""
    parts = [_("Dialogue").upper(), ""]
    meetings = (
        Meeting.objects.filter(agreement=agreement)
        .prefetch_related("organisations", "decisions__budget_line")
        .order_by("date", "pk")
    )
    for m in meetings:
        parts.append(f"{m.date.isoformat()} {m.get_kind_display()}")
        present = ", ".join(sorted(o.name for o in m.organisations.all()))
        parts.append(_label(_("Present"), present or "–"))
        if m.minutes:
            parts += [m.minutes]
        for d in m.decisions.all():
            approves = f" [{d.budget_line.text}]" if d.budget_line else ""
            parts.append("- " + _label(_("Decision") + approves, d.text))
        parts.append("")
    items = ActionItem.objects.filter(agreement=agreement).select_related("party__organisation")
    if items:
        parts.append(_("Action items").upper())
        for item in items.order_by("pk"):
            due = item.due_date.isoformat() if item.due_date else "–"
            done = item.done_on.isoformat() if item.done_on else "–"
            due_label, done_label = _("due"), _("done")
            parts.append(
                f"- {item.text} ({item.party.organisation.name}; {due_label} {due}; "
                f"{done_label} {done})"
            )
        parts.append("")
    lessons = LearningEntry.objects.filter(agreement=agreement).select_related(
        "party__organisation"
    )
    if lessons:
        parts.append(_("Learning log").upper())
        for e in lessons.order_by("date", "pk"):
            parts += [
                f"{e.date.isoformat()} {e.get_theme_display()}, {e.party.organisation.name}",
                e.text,
                "",
            ]
    return "\n".join(parts)


def bundle_entries(agreement, documents=()) -> list[Entry]:
    """Every file of the bundle but the manifest and SHA256SUMS, in the zip's order."""
    tables = _folder(_("tables"))
    return [
        text_entry(_name(_("agreement"), "txt"), agreement_text(agreement)),
        *report_entries(agreement),
        budget_entry(agreement, tables),
        visits_entry(agreement, tables),
        payments_entry(agreement, tables),
        repayments_entry(agreement, tables),
        expenses_entry(agreement, tables),
        in_kind_entry(agreement, tables),
        meetings_entry(agreement, tables),
        decisions_entry(agreement, tables),
        action_items_entry(agreement, tables),
        lessons_entry(agreement, tables),
        text_entry(_name(_("dialogue"), "txt"), dialogue_text(agreement)),
        *document_entries(documents),
    ]


# --- the manifest ---------------------------------------------------------------------------


def manifest_text(agreement, user, generated_at, written: list[Written]) -> str:
    by = (user.get_full_name() or user.get_username()) if user else "–"
    lines = [
        _("Auditor bundle"),
        "",
        _label(_("Agreement"), agreement.title),
        _label(_("Case number (diarienummer)"), agreement.case_number or "–"),
        _label(_("Agreement period"), _period(agreement)),
        _label(_("Generated at"), generated_at.isoformat(timespec="seconds")),
        _label(_("Generated by"), by),
        "",
        _("Files (size in bytes, SHA-256, name):"),
        *[f"{w.size:>12}  {w.sha256}  {w.path}" for w in written],
        "",
        _("Check the files with: sha256sum -c SHA256SUMS"),
        "",
    ]
    return "\n".join(lines)


def manifest_json(agreement, user, generated_at, written: list[Written]) -> str:
    data = {
        "agreement": {
            "title": agreement.title,
            "case_number": agreement.case_number,
            "start": agreement.start_date.isoformat(),
            "end": agreement.end_date.isoformat(),
        },
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "generated_by": (user.get_full_name() or user.get_username()) if user else None,
        "files": [{"path": w.path, "size": w.size, "sha256": w.sha256} for w in written],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def sha256sums(written: list[Written]) -> str:
    """The lines ``sha256sum`` writes and ``sha256sum -c`` reads: hash, two spaces, name."""
    return "".join(f"{w.sha256}  {w.path}\n" for w in written)


# --- the zip, piece by piece ----------------------------------------------------------------


class _Sink:
    """A write-only, non-seekable stream that hands out what was written since last asked."""

    def __init__(self):
        self.pieces = []

    def write(self, data):
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self) -> Iterator[bytes]:
        pieces, self.pieces = self.pieces, []
        if pieces:
            yield b"".join(pieces)


def _unique(path, taken) -> str:
    """``path``, or "name_2.ext" (3, …) when a file of that name is in the zip already."""
    stem, dot, extension = path.rpartition(".")
    if not dot or "/" in extension:
        stem, dot, extension = path, "", ""
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}_{n}{dot}{extension}"
    return candidate


def stream_bundle(agreement, user=None, *, documents=()) -> Iterator[bytes]:
    """The bundle's zip in pieces (each at most about ``CHUNK_SIZE`` plus the zip's own
    headers). FrozenPdfDamaged or DocumentDamaged, logged, stops it before the zip is
    complete."""
    generated_at = timezone.localtime()
    timestamp = generated_at.timetuple()[:6]
    sink = _Sink()
    written: list[Written] = []
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as zf:

        def add(entry: Entry):
            path = _unique(entry.path, {w.path for w in written})
            info = zipfile.ZipInfo(path, date_time=timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            digest, size = hashlib.sha256(), 0
            with zf.open(info, "w") as out:
                for chunk in entry.chunks():
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                    yield from sink.drain()
            yield from sink.drain()
            written.append(Written(path, size, digest.hexdigest()))

        for entry in bundle_entries(agreement, documents):
            yield from add(entry)
        yield from add(
            text_entry(
                _name(_("manifest"), "txt"), manifest_text(agreement, user, generated_at, written)
            )
        )
        yield from add(
            text_entry(
                _name(_("manifest"), "json"), manifest_json(agreement, user, generated_at, written)
            )
        )
        yield from add(text_entry("SHA256SUMS", sha256sums(written)))
    yield from sink.drain()


def audit_bundle(agreement, user=None, *, documents=None) -> bytes:
    """The whole bundle as bytes (for the tests and the shell; the view streams it), with
    the agreement's documents unless ``documents`` are given."""
    check_frozen_pdfs(agreement)
    if documents is None:
        documents = agreement_documents(agreement)
    return b"".join(stream_bundle(agreement, user, documents=documents))


__all__ = ["FrozenPdfDamaged", "DocumentDamaged", "audit_bundle", "stream_bundle"]
