"""What the benchmark builds and which pages it measures.

The data comes from the project's own commands: ``seed_demo`` (the 2019 agreement and the
demo accounts) and ``demo_data`` (a year of sessions, activities, expenses and reports under
the renewed agreement; ``--agreements N`` adds N more agreements). Pages are measured as the
demo accounts see them: staff for the logging pages, the coordinator for budget and report.
"""

import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

STAFF_USERNAME = "personal"
COORDINATOR_USERNAME = "samordnare"


def build(*, agreements=0):
    """The seed agreement and demo data; with ``agreements`` that many more agreements."""
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("seed_demo", **quiet)
    if "demo_data" not in get_commands():
        return
    if agreements:
        call_command("demo_data", agreements=agreements, **quiet)
    else:
        call_command("demo_data", **quiet)


class Scenario:
    """The demo users and the objects whose pages are measured, found in the database."""

    def __init__(self):
        User = get_user_model()
        self.staff = User.objects.get(username=STAFF_USERNAME)
        self.coordinator = User.objects.get(username=COORDINATOR_USERNAME)
        from partnership.access import agreements_for

        today = timezone.localdate()
        mine = agreements_for(self.staff).order_by("-end_date")
        self.current = mine.filter(start_date__lte=today, end_date__gte=today).first() or (
            mine.first()
        )
        self.seed = mine.order_by("start_date").first()

    # Objects --------------------------------------------------------------------------
    def today_session(self):
        """Today's session at the current agreement's first venue (opened if needed)."""
        if not apps.is_installed("visits") or self.current is None:
            return None
        try:
            from visits import services
        except ImportError:  # the logging feature is not there yet
            return None
        venue = self.current.venues.filter(is_active=True).first()
        if venue is None:
            return None
        session, _created = services.get_or_create_session(
            agreement=self.current, venue=venue, day=timezone.localdate(), user=self.staff
        )
        return session

    def report(self, kind):
        """The seed agreement's first report of ``kind`` (interim/final), made if missing."""
        try:
            from reporting import services
        except ImportError:  # the reporting feature is not there yet
            return None
        reports = services.ensure_reports(self.seed)
        reports = sorted(
            (r for r in reports if r.deadline.kind == kind), key=lambda r: r.deadline.due_date
        )
        return reports[0] if reports else None

    # Pages ----------------------------------------------------------------------------
    def pages(self):
        """(name, user, url) of each main page; a page whose feature is missing is left
        out."""
        session = self.today_session()
        final_report = self.report("final")
        candidates = [
            ("home", self.staff, "home", []),
            ("agreement", self.staff, "partnership:agreement_detail", [self.current]),
            ("sessions", self.staff, "visits:session_list", [self.current]),
            ("activities", self.staff, "visits:activity_list", [self.current]),
            ("tally", self.staff, "visits:tally", [session]),
            ("budget", self.coordinator, "partnership:budget", [self.seed]),
            ("report", self.coordinator, "reporting:report_detail", [final_report]),
        ]
        out = []
        for name, user, url_name, objects in candidates:
            if any(o is None for o in objects):
                continue
            try:
                url = reverse(url_name, args=[o.pk for o in objects])
            except NoReverseMatch:
                continue
            out.append((name, user, url))
        return out

    def final_report_pdf_url(self):
        report = self.report("final")
        if report is None:
            return None
        try:
            return reverse("reporting:report_pdf", args=[report.pk])
        except NoReverseMatch:
            return None
