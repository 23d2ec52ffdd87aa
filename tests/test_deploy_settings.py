"""Production settings: `check --deploy` is clean, responses carry the security headers,
templates hold no inline script, and repeated wrong passwords lock a login."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from partnership.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "iop.example.se",
    "IOP_READ_DOT_ENV": "false",
    # An in-memory database is enough for `check` and for /healthz.
    "DATABASE_URL": "sqlite://:memory:",
}


def run_production(args, code=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("SECURE_HSTS_SECONDS", None)
    env.pop("SECURE_SSL_REDIRECT", None)
    env.update(PRODUCTION_ENV)
    env.update(extra_env or {})
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    command = [sys.executable, *(["-c", code] if code else ["manage.py", *args])]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_has_no_warnings():
    result = run_production(["check", "--deploy", "--fail-level", "WARNING"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")


PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
client = Client()
https = client.get("/healthz", secure=True, HTTP_HOST="iop.example.se")
plain = client.get("/healthz", HTTP_HOST="iop.example.se")
from django.test.utils import override_settings
# The login page as production sends it, but without collectstatic's manifest.
storages = {**s.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    login = client.get("/login/", secure=True, HTTP_HOST="iop.example.se")
print(json.dumps({
    "login_cookies": {
        name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}
        for name, c in login.cookies.items()
    },
    "https_status": https.status_code,
    "headers": {k.lower(): v for k, v in https.headers.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "settings": {name: getattr(s, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "X_FRAME_OPTIONS",
        "AXES_ENABLED", "SECURE_SSL_REDIRECT")},
}))
"""


@pytest.fixture(scope="module")
def production():
    result = run_production([], code=PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure(production):
    s = production["settings"]
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["AXES_ENABLED"] is True


def test_the_csrf_cookie_is_secure_and_httponly_as_the_docs_say(production):
    """docs/operations.md says so; the pages' scripts never read it (htmx takes the token from
    the page, base.html's hx-headers)."""
    assert production["login_cookies"]["csrftoken"] == {"secure": True, "httponly": True}


def test_production_sends_hsts_and_redirects_http(production):
    assert production["https_status"] == 200
    hsts = production["headers"]["strict-transport-security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://iop.example.se/")


def test_production_response_headers(production):
    headers = production["headers"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert_strict_csp(headers["content-security-policy"])


def assert_strict_csp(policy: str):
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"], policy
    assert directives["default-src"] == ["'self'"], policy
    assert directives["frame-ancestors"] == ["'none'"], policy
    assert directives["object-src"] == ["'none'"], policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.django_db
def test_pages_carry_csp_and_frame_denial(staff_client, agreement):
    response = staff_client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    assert_strict_csp(response["Content-Security-Policy"])
    assert response["X-Frame-Options"] == "DENY"


# ---------------------------------------------------------------------------------------------
# Templates: no inline script, no inline event handlers (CSP would block them anyway, silently).

TEMPLATE_DIRS = [
    ROOT / "templates",
    *(ROOT / app / "templates" for app in django_settings.PROJECT_APPS),
]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*?\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def template_files():
    return sorted(p for d in TEMPLATE_DIRS if d.exists() for p in d.rglob("*.html"))


def inline_script_findings(text: str) -> list[str]:
    return [
        m.group(0)[:80]
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL)
        for m in pattern.finditer(text)
    ]


def test_no_template_has_inline_script_or_event_handlers():
    files = template_files()
    assert any(p.name == "base.html" for p in files)
    findings = {
        str(p.relative_to(ROOT)): found
        for p in files
        if (found := inline_script_findings(p.read_text(encoding="utf-8")))
    }
    assert not findings, findings


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<button onclick="go()">',
        '<div\n  class="x" onchange="go()">',
        '<form hx-on:submit="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_template_scan_catches_inline_script(snippet):
    assert inline_script_findings(snippet)


def test_the_template_scan_accepts_script_files():
    assert not inline_script_findings(
        '<script src="/static/app.js"></script><a href="/x" class="one">on=</a>'
    )


# ---------------------------------------------------------------------------------------------
# Login throttling (django-axes).


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True  # the root conftest turns it off for other tests
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, message",
    [("sv", "Inloggningen är låst"), ("en", "Login locked")],
)
def test_repeated_wrong_passwords_lock_the_login(axes_on, client, language, message):
    UserFactory(username="kim")  # password "a-long-test-password"
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    limit = axes_on.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = client.post("/login/", {"username": "kim", "password": "wrong"})
        assert response.status_code == 200  # the form says the password is wrong
        assert "_auth_user_id" not in client.session
    response = client.post("/login/", {"username": "kim", "password": "wrong"})
    assert response.status_code == 429
    assert message in response.content.decode()

    # Now even the right password is refused, with the same clear message.
    response = client.post("/login/", {"username": "kim", "password": "a-long-test-password"})
    assert response.status_code == 429
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_few_wrong_passwords_do_not_lock(axes_on, client):
    UserFactory(username="kim")
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": "kim", "password": "wrong"})
    response = client.post("/login/", {"username": "kim", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
