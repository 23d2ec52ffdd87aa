from django.core.management.base import BaseCommand
from django.utils import timezone

from notices.services import deliver, queue_reminders


class Command(BaseCommand):
    help = (
        "Write the reminders due today (reports due soon or overdue, action items due) and "
        "send every e-mail notice still pending, those a failed mail server left included. "
        "Run it daily (cron or a systemd timer); running it again, or on two machines at "
        "once, sends nothing twice."
    )

    def handle(self, *args, **options):
        queued = queue_reminders(timezone.localdate())
        sent, failed = deliver()
        self.stdout.write(f"Queued {queued}, sent {sent}, failed {failed} (retried next run).")
        if failed:
            # A non-zero exit tells cron / systemd that the mail server failed.
            raise SystemExit(1)
