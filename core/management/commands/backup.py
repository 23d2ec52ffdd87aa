from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.backup import create_backup


class Command(BaseCommand):
    help = (
        "Back up every row (as database-independent JSON) and every file of the default storage "
        "(MEDIA_ROOT or the S3 bucket) into one .tar.gz with SHA-256 checksums. Restore with "
        "`manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="The .tar.gz to write (default: iop-backup-<UTC time>.tar.gz here).",
        )

    def handle(self, *args, output=None, **options):
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = Path(output or f"iop-backup-{stamp}.tar.gz")
        manifest = create_backup(path)
        self.stdout.write(
            f"Backed up {manifest['rows']} rows and {len(manifest['files']) - 1} files to {path}"
        )
