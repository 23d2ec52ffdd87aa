import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from partnership.models import Agreement
from reporting.figures import report_figures
from reporting.pdf import render_report_pdf
from reporting.services import reports_of


class Command(BaseCommand):
    help = (
        "Time the figures and the PDF of a report (default: the final report of the agreement "
        "that started first). The first PDF includes loading fonts; the later ones show the "
        "steady state of a running server. Writes nothing to the database but missing reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreement", type=int, help="agreement pk")
        parser.add_argument("--kind", default="final", choices=["final", "interim"])
        parser.add_argument("--language", default="sv")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--output", help="also write the last PDF to this file")

    def handle(self, *args, agreement=None, kind, language, repeat, output, **options):
        agreements = Agreement.objects.order_by("start_date", "pk")
        found = agreements.filter(pk=agreement).first() if agreement else agreements.first()
        if found is None:
            raise CommandError("No such agreement.")
        report = next((r for r in reports_of(found) if r.deadline.kind == kind), None)
        if report is None:
            raise CommandError(f"The agreement has no {kind} report.")
        self.stdout.write(f"{found} – {report} ({report.period_start} – {report.period_end})")
        pdf = b""
        for i in range(1, repeat + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            with translation.override(language):
                figures = report_figures(report)
            t1, c1 = time.perf_counter(), time.process_time()
            pdf = render_report_pdf(report, language, figures=figures)
            t2, c2 = time.perf_counter(), time.process_time()
            # CPU time too: on a shared machine the wall clock measures the neighbours.
            self.stdout.write(
                f"run {i}: figures {t1 - t0:.2f} s (CPU {c1 - c0:.2f} s), "
                f"PDF {t2 - t1:.2f} s (CPU {c2 - c1:.2f} s, {len(pdf) // 1024} KiB), "
                f"total {t2 - t0:.2f} s"
            )
        if output:
            with open(output, "wb") as f:
                f.write(pdf)
