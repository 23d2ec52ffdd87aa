from django.core.management.base import BaseCommand
from django.utils import timezone

from finance import demo as finance_demo
from partnership.models import Agreement
from partnership.seed.loader import load_seed_agreement
from reporting import demo as reporting_demo
from reporting.services import create_missing_reports
from visits import demo


class Command(BaseCommand):
    help = (
        "Synthetic, aggregate-only visit and activity logs, expenses and payments for the seed "
        "agreement's whole period and for a renewed agreement running this calendar year "
        "(data up to today). Deterministic with --seed; running it again changes nothing. "
        "--agreements N adds N synthetic agreements with their own organisations and data, "
        "for scale tests. The seed agreement's reports are submitted and approved, the "
        "renewed agreement's past ones left approved, returned and submitted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument("--agreements", type=int, default=0, metavar="N")
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="Leave every report a draft (the benchmark measures reports being written).",
        )

    def handle(self, *args, seed, agreements, drafts=False, **options):
        today = timezone.localdate()
        seed_agreement, _ = load_seed_agreement()
        renewed, created = demo.ensure_renewed_agreement(seed_agreement, today)
        if created:
            self.stdout.write(f"Created the renewed agreement {renewed.title}")
        for agreement in (seed_agreement, renewed):
            finance_demo.populate(agreement, seed=seed, until=today)
            if demo.populate(agreement, seed=seed, until=today):
                self.stdout.write(
                    f"Logged {agreement.sessions.count()} sessions and "
                    f"{agreement.activities.count()} activities for {agreement.title}"
                )
            else:
                self.stdout.write(f"Already has logs: {agreement.title}")
        if agreements:
            made = demo.create_synthetic_agreements(agreements, seed=seed, until=today)
            synthetic = Agreement.objects.filter(short_name__startswith=demo.SYNTHETIC_PREFIX)
            for agreement in synthetic.filter(expenses__isnull=True):
                finance_demo.populate(agreement, seed=seed, until=today)
            self.stdout.write(f"Created {made} synthetic agreements ({agreements} requested)")
        # The synthetic agreements' deadlines are written in bulk, which sends no signal.
        create_missing_reports()
        # The reports as a living system has them: the seed agreement's approved, the
        # renewed one's in every state.
        if not drafts:
            for line in reporting_demo.live(seed_agreement, renewed, today):
                self.stdout.write(line)
