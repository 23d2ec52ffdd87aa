from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty, migrated database (run "
        "`manage.py migrate` first). Checksums are verified before anything is written. A "
        "non-empty database is refused unless --force, which first deletes all its data."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of a non-empty database (everything in it is deleted).",
        )
        parser.add_argument(
            "--strip-nul",
            action="store_true",
            help="Remove NUL characters from texts (older versions let SQLite store them; "
            "PostgreSQL cannot). Without it, a backup holding one is refused.",
        )

    def handle(self, *args, backup, force=False, strip_nul=False, **options):
        manifest = restore_backup(Path(backup), force=force, strip_nul=strip_nul)
        self.stdout.write(
            f"Restored {manifest['rows']} rows and {len(manifest['files']) - 1} files "
            f"from {backup} (made {manifest['created']} on {manifest['database_vendor']})."
        )
