"""What the benchmark builds and which pages it measures.

The data comes from the project's own commands: ``seed_demo`` (the 2019 agreement and the
demo accounts) and ``demo_data`` (a year of sessions, activities, expenses and reports under
the renewed agreement; ``--agreements N`` adds N more agreements). Pages are measured as the
demo accounts see them: staff for the logging and expense pages, the coordinator for budget
and report, the admin for Django admin's change lists.

Every model, URL name and service of the product that the benchmark uses is named in this
module only, so that moving one in the product means changing one line here.
"""

import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from partnership.access import agreements_for
from reporting.services import reports_of
from visits.models import Gender
from visits.services import get_or_create_session, session_total

STAFF_USERNAME = "personal"
COORDINATOR_USERNAME = "samordnare"
ADMIN_USERNAME = "admin"

AGREEMENT = "partnership.Agreement"
SESSION = "visits.Session"
ACTIVITY = "visits.Activity"
EXPENSE = "finance.Expense"
# The models whose rows are counted after each build (rows_<model>_<size>).
COUNTED_MODELS = (AGREEMENT, SESSION, ACTIVITY, EXPENSE)


def build(*, agreements=0):
    """The seed agreement and demo data; with ``agreements`` that many more agreements."""
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("seed_demo", **quiet)
    call_command("demo_data", agreements=agreements, **quiet)


@dataclass
class Page:
    """One measured request: a GET of ``url``, or with ``data`` a POST of it as htmx sends
    it; ``admin_url``, for a list, is Django admin's change list of the same rows."""

    name: str
    user: object
    url: str
    data: dict | None = None
    admin_url: str | None = None


def admin_list_url(model_label, agreement):
    """Django admin's change list of ``model_label`` filtered on ``agreement``, newest first
    (its first column is the date, as on our lists), 50 rows a page like ours."""
    opts = apps.get_model(model_label)._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode({'agreement__id__exact': agreement.pk, 'o': '-1'})}"


class Scenario:
    """The demo users and the objects whose pages are measured, found in the database."""

    def __init__(self):
        User = get_user_model()
        self.staff = User.objects.get(username=STAFF_USERNAME)
        self.coordinator = User.objects.get(username=COORDINATOR_USERNAME)
        self.admin = User.objects.get(username=ADMIN_USERNAME)
        today = timezone.localdate()
        mine = agreements_for(self.staff).order_by("-end_date")
        self.current = mine.filter(start_date__lte=today, end_date__gte=today).first()
        self.seed = mine.order_by("start_date").first()
        self.session = self._today_session()
        self.final_report = next(r for r in reports_of(self.seed) if r.deadline.kind == "final")

    def _today_session(self):
        """Today's session at the current agreement's first venue (opened if needed)."""
        venue = self.current.venues.filter(is_active=True).first()
        session, _created = get_or_create_session(
            agreement=self.current, venue=venue, day=timezone.localdate(), user=self.staff
        )
        return session

    def pages(self):
        """The main pages, each as one user sees it."""
        current, seed = self.current.pk, self.seed.pk
        return [
            Page("home", self.staff, reverse("home")),
            Page("agreement", self.staff, reverse("partnership:agreement_detail", args=[current])),
            Page(
                "sessions",
                self.staff,
                reverse("visits:session_list", args=[current]),
                admin_url=admin_list_url(SESSION, self.current),
            ),
            Page(
                "activities",
                self.staff,
                reverse("visits:activity_list", args=[current]),
                admin_url=admin_list_url(ACTIVITY, self.current),
            ),
            Page("tally", self.staff, reverse("visits:tally", args=[self.session.pk])),
            Page("tally_tap", self.staff, self.tally_tap_url(), data=self.tally_cells()[0]),
            Page("budget", self.coordinator, reverse("finance:budget", args=[seed])),
            Page(
                "expenses",
                self.staff,
                reverse("finance:expense_list", args=[current]),
                admin_url=admin_list_url(EXPENSE, self.current),
            ),
            Page("report", self.coordinator, self.final_report_url()),
        ]

    def healthz_url(self):
        return reverse("healthz")

    def final_report_url(self):
        return reverse("reporting:report_detail", args=[self.final_report.pk])

    def final_report_pdf_url(self):
        return reverse("reporting:report_pdf", args=[self.final_report.pk])

    # The tally under load --------------------------------------------------------------
    def tally_tap_url(self):
        return reverse("visits:tally_tap", args=[self.session.pk])

    def tally_cells(self):
        """The POST data of a +1 on each cell of today's tally."""
        bands = self.current.age_bands.values_list("pk", flat=True)
        return [
            {"age_band": band, "gender": gender, "delta": 1}
            for band in bands
            for gender in Gender.values
        ]

    def visits_counted(self):
        """Today's session's visit total in the database."""
        return session_total(self.session)
