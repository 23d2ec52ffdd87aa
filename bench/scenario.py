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
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dialogue.models import ActionItem, Decision, LearningEntry, Meeting
from finance.models import Payment
from partnership.access import agreements_for
from partnership.models import Agreement, BudgetLine, Commitment, Organisation
from reporting.figures import PRINTED, report_figures
from reporting.models import NARRATIVE_FIELDS, CommitmentFollowUp, DeviationReason, Report
from reporting.pdf import render_report_pdf
from reporting.services import reports_of
from visits.models import AgeBand, Gender, PartnerOrganisation, Venue
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
    # Reports stay drafts: the pages measured render the live figures.
    call_command("demo_data", agreements=agreements, drafts=True, **quiet)


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


# The report at every maximum --------------------------------------------------------------
# Every free text that reaches a report's PDF, at the longest its field allows: the narrative
# sections (in two shapes: paragraphs, and as many lines as allowed, each a little longer than
# a printed line), and the names of the agreement, its parties, age bands, venues, partner
# organisations, budget lines, payments and the first line of each commitment.

WORDS = (
    "samverkan mötesplatsen ungdomar läxhjälp föreningen kommunen stöd aktiviteter och i för "
    "med besökare lotsning samordnaren insatser under perioden har vi"
).split()
NARRATIVE_SHAPES = ("paragraphs", "lines")


def words(length: int, seed: int = 0) -> str:
    """Swedish words, exactly ``length`` characters."""
    out, i = [], seed
    while sum(len(w) + 1 for w in out) < length:
        out.append(WORDS[(i * 7 + 3) % len(WORDS)])
        i += 1
    return " ".join(out)[:length].rstrip().ljust(length, "x")


def narrative_at_maximum(shape: str) -> dict:
    field = Report._meta.get_field("summary")
    length, lines = field.max_length, field.max_lines
    if shape == "lines":
        per_line = (length - (lines - 1)) // lines
        text = "\n".join(words(per_line, seed=i) for i in range(lines))
    else:
        paragraphs = lines // 2  # each paragraph and the blank line after it
        per_paragraph = (length - 2 * (paragraphs - 1)) // paragraphs
        text = "\n\n".join(words(per_paragraph, seed=i) for i in range(paragraphs))
    return {name: text for name in NARRATIVE_FIELDS}


def _longest(model, field_name, seed=0, suffix=""):
    length = model._meta.get_field(field_name).max_length
    return words(length - len(suffix), seed) + suffix


@contextmanager
def report_at_maxima(report):
    """``report`` with every free text of its PDF at its maximum, in a transaction that is
    rolled back when the block ends."""
    agreement = report.agreement
    with transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(
            title=_longest(Agreement, "title"),
            short_name=_longest(Agreement, "short_name"),
            case_number=_longest(Agreement, "case_number"),
        )
        for i, party in enumerate(agreement.parties.select_related("organisation")):
            Organisation.objects.filter(pk=party.organisation_id).update(
                name=_longest(Organisation, "name", i)
            )
        # Names that are unique end in a number.
        for model, name, rows in (
            (AgeBand, "label", AgeBand.objects.filter(agreement=agreement)),
            (Venue, "name", Venue.objects.filter(agreement=agreement)),
            (PartnerOrganisation, "name", PartnerOrganisation.objects.all()),
        ):
            for i, pk in enumerate(rows.values_list("pk", flat=True)):
                model.objects.filter(pk=pk).update(**{name: _longest(model, name, i, f" {i}")})
        BudgetLine.objects.filter(agreement=agreement).update(text=_longest(BudgetLine, "text"))
        Payment.objects.filter(agreement=agreement).update(reference=_longest(Payment, "reference"))
        Commitment.objects.filter(agreement=agreement).update(
            text=_longest(Commitment, "text").replace(" ", "\n", 1)
        )
        _dialogue_at_maxima(report)
        yield Report.objects.select_related("deadline__agreement").get(pk=report.pk)
        transaction.set_rollback(True)


# The dialogue of a busy period: more meetings, decisions, open action items and lessons
# than a report prints (``reporting.figures.PRINTED``), each text at its field's maximum, so
# the PDF prints the most the bound lets through.
BUSY_PERIOD = {
    "meetings": PRINTED["meetings"] + 2,
    "decisions": PRINTED["decisions"] + 1,
    "action_items": PRINTED["open_action_items"] + 2,
    "lessons": PRINTED["learning"] + 2,
}


def _dialogue_at_maxima(report):
    agreement = report.agreement
    day = report.deadline.period_start
    parties = list(agreement.parties.all())
    for i in range(BUSY_PERIOD["meetings"]):
        meeting = Meeting.objects.create(agreement=agreement, date=day, kind="cooperation")
        meeting.organisations.set([p.organisation_id for p in parties])
        for j in range(BUSY_PERIOD["decisions"]):
            Decision.objects.create(meeting=meeting, text=_longest(Decision, "text", i + j))
    for i in range(BUSY_PERIOD["action_items"]):
        ActionItem.objects.create(
            agreement=agreement, text=_longest(ActionItem, "text", i), party=parties[0]
        )
    for i in range(BUSY_PERIOD["lessons"]):
        LearningEntry.objects.create(
            agreement=agreement,
            date=day,
            theme="method",
            party=parties[0],
            text=_longest(LearningEntry, "text", i),
        )


def _follow_ups_at_maxima(report, narrative) -> dict:
    """The narrative with every commitment's follow-up and every line's reason at maximum."""
    account = CommitmentFollowUp._meta.get_field("account").max_length
    reason = DeviationReason._meta.get_field("text").max_length
    rows = [
        row | {"status": "under_way", "account": words(account, seed=i)}
        for i, row in enumerate(report.follow_up_rows())
    ]
    reasons = [
        {"line": text, "reason": words(reason, seed=i)}
        for i, text in enumerate(report.agreement.budget_lines.values_list("text", flat=True))
    ]
    return narrative | {"follow_ups": rows, "line_reasons": reasons}


def pdf_at_maxima_seconds(report, shape: str, *, repeat=3):
    """(median wall seconds, median CPU seconds, pages) of the PDF of ``report`` at every
    maximum, the narrative in ``shape``; figures computed before the clock starts."""
    narrative = narrative_at_maximum(shape)
    with report_at_maxima(report) as filled:
        narrative = _follow_ups_at_maxima(filled, narrative)
        figures = report_figures(filled)
        render_report_pdf(filled, "sv", figures=figures, narrative=narrative)  # warm
        wall, cpu = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            pdf = render_report_pdf(filled, "sv", figures=figures, narrative=narrative)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), _pages(pdf)


def _pages(pdf: bytes):
    try:
        from pypdf import PdfReader  # a development requirement, like the benchmark
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)
