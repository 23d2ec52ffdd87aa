"""``manage.py import_sie AGREEMENT_PK FILE [--confirm]``: the SIE import for operators.
Without ``--confirm`` it only shows the preview (every transaction's fate); with it, it
imports, all or nothing, as the page does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance.expense_import import NothingToImport
from finance.sie_import import MAX_FILE_BYTES, Fate, import_sie, preview_sie
from partnership.models import Agreement


class Command(BaseCommand):
    help = (
        "Preview the import of expenses from a SIE 4 file into an agreement (every "
        "transaction's fate); --confirm imports them, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement_pk", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--confirm", action="store_true", help="Import, not only preview.")

    def handle(self, *args, agreement_pk, file, confirm, **options):
        agreement = Agreement.objects.filter(pk=agreement_pk).first()
        if agreement is None:
            raise CommandError(f"No agreement with the id {agreement_pk}.")
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{file} is larger than {MAX_FILE_BYTES // 2**20} MB.")
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        preview = preview_sie(agreement, raw, file.name)
        self._show(agreement, preview)
        if preview.error:
            raise CommandError(preview.error)
        if not confirm:
            if preview.can_import:
                self.stdout.write("Preview only: run again with --confirm to import.")
            return
        try:
            batch = import_sie(agreement=agreement, raw=raw, filename=file.name)
        except NothingToImport as refused:
            preview = refused.preview
            if preview.previous_import:
                raise CommandError("This file was already imported: nothing imported.") from None
            if preview.rejected_count:
                raise CommandError("Rejected transactions: nothing imported.") from None
            raise CommandError("Nothing new to import.") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {batch.row_count} expenses."))

    def _show(self, agreement, preview):
        self.stdout.write(f"{preview.filename} → {agreement.title}")
        if preview.error:
            return
        sie = preview.sie
        self.stdout.write(
            f"{sie.company_name} {sie.org_number}, {sie.program or 'unknown program'}, "
            f"read as {sie.encoding_name}"
        )
        for row in preview.rows:
            if row.fate == Fate.MAPPED:
                fate = f"→ {row.budget_line.text}"
            else:
                fate = f"{row.fate}: {row.reason}"
            self.stdout.write(
                f"  line {row.transaction.line:>5}  {row.voucher.reference:<10} "
                f"{str(row.voucher.date or ''):<10}  {row.transaction.account:<6} "
                f"{row.amount_text:>16}  {fate}"
            )
        self.stdout.write(
            f"{preview.mapped_count} mapped, {preview.ignored_count} ignored, "
            f"{preview.duplicate_count} already imported, {preview.rejected_count} rejected; "
            f"{len(preview.expenses)} expenses, {preview.total} kr"
        )
        if preview.previous_import:
            self.stdout.write("This file was already imported.")
