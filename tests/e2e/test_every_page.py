"""Every page of every role in a phone's browser (390 × 844): none is wider than the screen
and axe-core finds no WCAG 2.1 AA violation on any; the main pages again at laptop width.
Every page's screenshot is written to ``test-artifacts/screens/<width>/`` (the visual check
CI keeps as an artefact).

The pages are the project's URL walk (``tests/urlwalk.py``) filled with the demo data's
objects, so a page added tomorrow is visited without editing this file. One browser, one
tab per width and role: a page is a navigation, a width measure, an axe run and a
screenshot."""

import io
import re
from datetime import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents.services import attach_document
from finance.models import Expense, InKindContribution, Payment
from partnership.amendments import amend
from partnership.models import Agreement, StaffPosition
from partnership.tests.factories import UserFactory
from reporting.models import Report
from tests.test_scoped_access import app_routes
from tests.urlwalk import ObjectMap
from visits.models import Activity, OpeningHours, VisitorCount

from .conftest import DESKTOP, PASSWORD, PHONE, WCAG_21_AA, _axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
CAFE = "Café Tingshuset"
# The main pages, shot and checked at laptop width too: (role, URL name, object).
LAPTOP_PAGES = [
    ("staff", "home", None),
    ("staff", "partnership:agreement_detail", "agreement"),
    ("staff", "visits:session_list", "agreement"),
    ("staff", "visits:tally", "session"),
    ("staff", "visits:activity_list", "agreement"),
    ("staff", "visits:activity_create", "agreement"),
    ("staff", "finance:expense_list", "agreement"),
    ("coordinator", "finance:budget", "agreement"),
    ("coordinator", "finance:payment_list", "agreement"),
    ("coordinator", "reporting:report_list", "agreement"),
    ("coordinator", "reporting:report_detail", "report"),
    ("coordinator", "reporting:report_approve", "report"),
    ("coordinator", "partnership:agreement_history", "agreement"),
    ("coordinator", "documents:document_list", "agreement"),
]


@pytest.fixture
def demo(live_server):
    """The demo data, its renewed agreement open today with its submitted report, and a
    staff member and a coordinator of the renewed agreement."""
    call_command("demo_data", stdout=io.StringIO())
    agreement = Agreement.objects.get(renews__isnull=False)
    today = timezone.localdate()
    cafe = agreement.venues.get(name=CAFE)
    OpeningHours.objects.get_or_create(
        venue=cafe, weekday=today.weekday(), defaults={"opens": time(10), "closes": time(16)}
    )
    users = {}
    for role, party_role in (("staff", "idea_driven"), ("coordinator", "public")):
        organisation = agreement.parties.get(role=party_role).organisation
        user = UserFactory(username=role, first_name=role.title(), organisation=organisation)
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    # The demo has left the renewed agreement's reports in every state: one is submitted.
    report = Report.objects.get(agreement=agreement, status="submitted")
    version = report.versions.latest("number")
    session = agreement.sessions.filter(date__lte=today).latest("date")
    # An amendment that changes a text, an amount, a position's months and a date, for its
    # page.
    line = agreement.budget_lines.filter(positions__isnull=True).first()
    position = StaffPosition.objects.filter(budget_line__agreement=agreement).first()
    commitment = agreement.commitments.first()
    amendment = amend(
        agreement=agreement,
        title="Ändrade villkor",
        text="Parterna är överens om ändringarna.",
        commitments={commitment: commitment.text + " Även på fredagar."},
        budget={line: line.amount + 1000},
        months={position: position.months + 1},
        user=users["coordinator"],
    )
    objects = {
        "agreement": agreement,
        "venue": cafe,
        "session": session,
        "count": VisitorCount.objects.filter(session=session).first(),
        "activity": Activity.objects.filter(agreement=agreement).latest("date"),
        "payment": Payment.objects.filter(agreement=agreement).latest("date"),
        "expense": Expense.objects.filter(agreement=agreement).latest("date"),
        "in_kind": InKindContribution.objects.filter(agreement=agreement).first(),
        "report": report,
        "version": version,
        "budget_line": agreement.budget_lines.first(),
        "commitment": agreement.commitments.first(),
        "deadline": report.deadline,
        "party": agreement.parties.first(),
        "age_band": agreement.age_bands.first(),
        "sie_rule": agreement.sie_rules.first(),
        "amendment": amendment,
    }
    # A signed agreement attached by the coordinator: the documents' pages have a row.
    objects["document"] = attach_document(
        target=agreement,
        upload=SimpleUploadedFile("Överenskommelse undertecknad.pdf", b"%PDF-1.4 signed"),
        user=users["coordinator"],
    )
    objects["contribution"] = objects["in_kind"]
    objects["line"] = objects["budget_line"]
    objects["visitor_count"] = objects["count"]
    return {"users": users, "objects": ObjectMap(objects), "raw": objects}


def _html_pages(user, urls):
    """The URLs that answer this user with an HTML page (a refusal included: it is a page
    they can reach), not a file or a POST-only endpoint."""
    client = Client()
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        if response["Content-Type"].startswith("text/html") and response.status_code != 405:
            yield url


def _tab(browser, live_server, viewport, username, *, phone):
    context = browser.new_context(
        viewport=viewport, locale="sv-SE", has_touch=phone, is_mobile=phone
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg):
        # A refused page's own status is reported as a failed load; anything else (a script
        # error, a CSP refusal) is the page's fault.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    if username:
        page.goto(live_server.url + reverse("login"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").click()
    return context, page, errors


def _check(page, live_server, url, shot: Path, *, width):
    """Problems of the page at ``url`` (too wide, axe violations), after saving its shot."""
    page.goto(live_server.url + url)
    problems = []
    measured = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth,"
        " [...document.querySelectorAll('.table-responsive')]"
        "   .filter(e => e.scrollWidth > e.clientWidth + 1).length]"
    )
    scroll_width, inner_width, scrolling_lists = measured
    # A phone's browser widens its layout to fit a page that is too wide: both must hold.
    if scroll_width > width or inner_width > width:
        problems.append(f"{scroll_width} px wide (window {inner_width})")
    if scrolling_lists:
        problems.append(f"{scrolling_lists} list(s) scroll sideways instead of stacking")
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    if results.violations_count:
        problems.append(results.generate_report())
    return problems


def _slug(url):
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def test_every_page_of_every_role_fits_a_phone_and_passes_axe(browser, live_server, demo):
    for old in SCREENS.glob("*/*.png"):
        old.unlink()
    objects = demo["objects"]
    urls = [objects.url_for(route) for route in app_routes()]
    urls += [reverse("home"), reverse("accessibility"), reverse("password_change")]
    urls += ["/no-such-page/"]  # the error page
    # The agreement as it stood today, filled in (the walk gives the empty form).
    as_of = reverse("partnership:agreement_as_of", args=[demo["raw"]["agreement"].pk])
    urls += [f"{as_of}?date={timezone.localdate().isoformat()}"]
    failures = {}
    visited = 0
    for role, user in demo["users"].items():
        context, page, errors = _tab(browser, live_server, PHONE, user.username, phone=True)
        for url in _html_pages(user, urls):
            visited += 1
            shot = SCREENS / "phone" / f"{role}-{_slug(url)}.png"
            if problems := _check(page, live_server, url, shot, width=PHONE["width"]):
                failures[f"{role} {url}"] = problems
        context.close()
        assert not errors, errors
    # The login page and the accessibility statement, before logging in.
    context, page, errors = _tab(browser, live_server, PHONE, None, phone=True)
    for url in (reverse("login"), reverse("accessibility")):
        visited += 1
        shot = SCREENS / "phone" / f"anonymous-{_slug(url)}.png"
        if problems := _check(page, live_server, url, shot, width=PHONE["width"]):
            failures[f"anonymous {url}"] = problems
    context.close()
    assert visited > 60, visited
    assert not failures, "\n".join(f"{url}: {p}" for url, v in failures.items() for p in v)


def test_the_tally_shows_its_first_row_of_buttons_without_scrolling(browser, live_server, demo):
    context, page, _errors = _tab(browser, live_server, PHONE, "staff", phone=True)
    page.goto(live_server.url + reverse("visits:tally", args=[demo["raw"]["session"].pk]))
    first_row = page.locator(".tally-band").first.locator("button.tally-plus")
    assert first_row.count() >= 2
    for n in range(first_row.count()):
        box = first_row.nth(n).bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], box
    # The agreement's tabs take one line: a menu that opens on a tap.
    menu = page.locator("details.agreement-menu")
    assert menu.locator("summary").bounding_box()["height"] < 60
    assert not page.get_by_role("link", name="Budget", exact=True).is_visible()
    menu.locator("summary").tap()
    assert page.get_by_role("link", name="Budget", exact=True).is_visible()
    context.close()


def test_the_main_pages_at_laptop_width(browser, live_server, demo):
    failures = {}
    tabs = {}
    for role, name, kind in LAPTOP_PAGES:
        if role not in tabs:
            tabs[role] = _tab(browser, live_server, DESKTOP, role, phone=False)
        _context, page, _errors = tabs[role]
        obj = demo["raw"].get(kind)
        url = reverse(name, args=[obj.pk]) if obj is not None else reverse(name)
        shot = SCREENS / "laptop" / f"{role}-{_slug(url)}.png"
        if problems := _check(page, live_server, url, shot, width=DESKTOP["width"]):
            failures[f"{role} {url}"] = problems
    for context, _page, errors in tabs.values():
        context.close()
        assert not errors, errors
    assert not failures, "\n".join(f"{url}: {p}" for url, v in failures.items() for p in v)
