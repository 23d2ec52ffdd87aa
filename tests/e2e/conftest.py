"""End-to-end fixtures: Debian's Chromium driven by Playwright's sync API against
pytest-django's ``live_server``.

Every step of a journey saves a screenshot under ``test-artifacts/e2e/<test>/`` (gitignored,
kept by CI as an artefact) and every page a journey visits is checked with axe-core for
WCAG 2.1 AA.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls made
# while a loop runs unless told that this is safe (it is: the test drives one browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "a-long-test-password"  # UserFactory's password

_axe = Axe()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Journey:
    """One user's browser tab, with a numbered screenshot and an accessibility check per
    step."""

    def __init__(self, page, live_server, name, *, has_touch=False):
        self.page = page
        self.has_touch = has_touch
        self.base_url = live_server.url
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step_number = 0
        self.checked_pages = []

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def step(self, name, *, check_accessibility=True):
        """Save a screenshot of the page as it is now and check it with axe-core."""
        self.step_number += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(
            path=str(self.folder / f"{self.step_number:02d}-{slug}.png"), full_page=True
        )
        if check_accessibility:
            assert_accessible(self.page)
            self.checked_pages.append(self.page.url)

    def log_in(self, username, password=PASSWORD, path="/login/"):
        self.goto(path)
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.locator("form:has(input[name=password]) [type=submit]").click()


def assert_accessible(page):
    """axe-core finds no WCAG 2.1 AA violation on the page as it is now.

    axe is injected with ``page.evaluate``, which the page's Content Security Policy (no
    inline script) does not govern."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _journey(browser, live_server, request, viewport, *, phone=False):
    context = browser.new_context(
        viewport=viewport,
        locale="sv-SE",
        accept_downloads=True,
        has_touch=phone,
        is_mobile=phone,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg):
        # The browser asks for /favicon.ico on its own; its 404 is not the page's error.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    journey = Journey(page, live_server, request.node.name, has_touch=phone)
    yield journey
    context.close()
    # A CSP refusal or a script error shows up in the console: a journey has none.
    assert not errors, errors


@pytest.fixture
def phone(browser, live_server, request):
    yield from _journey(browser, live_server, request, PHONE, phone=True)


@pytest.fixture
def desktop(browser, live_server, request):
    yield from _journey(browser, live_server, request, DESKTOP)


def sv(msgid):
    """``msgid`` as the Swedish user reads it (the journeys run in the default language)."""
    from django.utils import translation

    with translation.override("sv"):
        return translation.gettext(msgid)
