"""The auditor bundle: one zip with every submitted version's PDF (as stored, with its
SHA-256), the figures of each version as CSV, the agreement with its amendments as text, and
the dialogue log (meetings with their minutes and decisions, action items, lessons). The
figures hold user text (budget lines, commitments, venue names): the CSV goes through
``core.spreadsheet``, so none of it runs as a formula."""

import csv
import io
import zipfile

from django.utils.translation import gettext as _

from core.spreadsheet import csv_row
from dialogue.models import ActionItem, LearningEntry, Meeting

from .frozen import frozen_pdf_bytes
from .models import ReportVersion


def flatten(data, prefix=""):
    """("visits.table.total", 123) pairs of a nested figures dict, in a stable order."""
    if isinstance(data, dict):
        for key in sorted(data):
            if key == "chart_svg":
                continue
            yield from flatten(data[key], f"{prefix}.{key}" if prefix else key)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from flatten(item, f"{prefix}[{i}]")
    else:
        yield prefix, "" if data is None else data


def figures_csv(figures: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["key", "value"])
    writer.writerows(csv_row(pair) for pair in flatten(figures))
    return out.getvalue()


def agreement_text(agreement) -> str:
    parts = [agreement.title, "=" * len(agreement.title), ""]
    parts.append(f"{_('Case number (diarienummer)')}: {agreement.case_number or '–'}")
    parts.append(
        f"{_('Agreement period')}: {agreement.start_date.isoformat()} – "
        f"{agreement.end_date.isoformat()}"
    )
    for party in agreement.parties.select_related("organisation"):
        parts.append(
            f"{party.get_role_display()}: {party.organisation.name} ({party.organisation.org_number})"
        )
    parts.append("")
    for heading, text in agreement.sections():
        parts += [str(heading).upper(), text, ""]
    commitments = agreement.commitments.select_related("party__organisation")
    if commitments:
        parts.append(_("Commitments").upper())
        parts += [f"- {c.party.organisation.name}: {c.text}" for c in commitments]
        parts.append("")
    lines = agreement.budget_lines.all()
    if lines:
        parts.append(_("Budget").upper())
        parts += [f"- {line.text}: {int(line.amount)} kr" for line in lines]
        parts.append("")
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
        parts.append(f"{_('Present')}: {present or '–'}")
        if m.minutes:
            parts += [m.minutes]
        for d in m.decisions.all():
            approves = f" [{d.budget_line.text}]" if d.budget_line else ""
            parts.append(f"- {_('Decision')}{approves}: {d.text}")
        parts.append("")
    items = ActionItem.objects.filter(agreement=agreement).select_related("party__organisation")
    if items:
        parts.append(_("Action items").upper())
        for item in items.order_by("pk"):
            due = item.due_date.isoformat() if item.due_date else "–"
            done = item.done_on.isoformat() if item.done_on else "–"
            parts.append(
                f"- {item.text} ({item.party.organisation.name}; {_('due')} {due}; "
                f"{_('done')} {done})"
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


def audit_bundle(agreement) -> bytes:
    versions = (
        ReportVersion.objects.filter(report__agreement=agreement)
        .select_related("report__deadline")
        .order_by("report__deadline__due_date", "report__pk", "number")
    )
    buffer = io.BytesIO()
    checksums = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("agreement.txt", agreement_text(agreement))
        zf.writestr("dialogue.txt", dialogue_text(agreement))
        for v in versions:
            d = v.report.deadline
            stem = f"reports/{d.due_date.isoformat()}-{d.kind}-report{v.report_id}-v{v.number}"
            zf.writestr(f"{stem}.pdf", frozen_pdf_bytes(v))  # FrozenPdfDamaged if altered
            zf.writestr(f"{stem}-figures.csv", figures_csv(v.figures))
            checksums.append(f"{v.sha256}  {stem}.pdf")
        zf.writestr("SHA256SUMS", "\n".join(checksums) + ("\n" if checksums else ""))
    return buffer.getvalue()
