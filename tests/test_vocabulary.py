"""One vocabulary (docs/glossary.md): no page in Swedish shows an English word or a term off
the glossary from the list of leaks found so far, for staff, coordinators and in Django admin.

Every page of the project (the URL walk, filled with the ids of ``world``'s objects) is read
as staff and as coordinator, and Django admin's index, every list, every change page and a
history page as an admin. A leak found tomorrow goes into ``LEAKS``, with its fix."""

import html
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.test_scoped_access import app_routes

pytestmark = pytest.mark.django_db

# (pattern, what it was): whole words, case-sensitive, in the visible text of a Swedish page.
LEAKS = [
    (r"\bVenue\b", "a field label without a translated verbose name"),
    (r"\bBudget line\b", "a field label without a translated verbose name"),
    (r"\b[Dd]atum\*", "a lower-case form label (datum*)"),
    (r"\bAccess (attempts?|failures?|logs?)\b", "django-axes' model names"),
    (r"\b(Axes|Partnership|Finance|Visits|Reporting)\b", "an app's name in admin"),
    (r"\bLogin attempts\b", "django-axes' app name"),
    (r"\b(Attempt Time|User Agent|IP Address|Failed Logins)\b", "django-axes' field names"),
    (r"\b(Changed by|Change reason|Choose a date|View history|Revert)\b", "simple_history"),
    (r"\bNone\b", "simple_history's empty user"),
    (r"\bDjango-administration\b", "Django's default admin title"),
    (r"\b(submitted|approved|returned|pending)\b", "a raw status code in the history"),
    (r"\bSessioner?\b", "Django's word for a session (tillfälle)"),
    (r"\bIdag\b", "Django's spelling of i dag"),
    (r"\bÄndring\b", "the language button (Byt språk)"),
    (r"\bInsatta timmar\b", "the in-kind tab (Bidrag i tid)"),
    (r"\bTjänstemanna|\btjänstepersoners\b", "civil-servant hours (tjänstepersonstimmar)"),
    (r"\bVerksamhet och insatser\b", "activities (insatser)"),
    (r"\b[Aa]ktivitet(er)?\b", "activities (insatser)"),
    (r"\bPlats(er)?\b", "a venue (mötesplats)"),
    (r"\b[Ss]amverkans(organisation|partner)", "a partner organisation (samarbetsorganisation)"),
    (r"\b[Öö]ppettillfälle|\b[Öö]ppethållande", "a session (tillfälle)"),
    (r"\b[Ii]cke-kontant", "in kind (bidrag i tid)"),
    (r"\b[Åå]tersän(d|t|da)\b", "returned (tillbakaskickad)"),
]
# Django admin's selects keep Django's own empty choice; the app's say "Alla", "Välj …".
APP_LEAKS = [(r"-{9}", "an empty choice shown as ---------")]


def _visible_text(response) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    # Drop the admin's hidden inline templates ("__prefix__" rows) and every tag.
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", text)


def _leaks(text: str, leaks=LEAKS) -> list[str]:
    found = []
    for pattern, reason in leaks:
        for match in re.finditer(pattern, text):
            around = text[max(0, match.start() - 40) : match.end() + 40]
            found.append(f"{match.group(0)!r} ({reason}): …{around}…")
    return found


def _html_pages(client, urls):
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield url, response


def test_the_leak_check_finds_a_leak():
    assert _leaks("Venue* Budget line* Sessioner") and not _leaks("Mötesplats* Tillfällen")


def test_no_page_of_staff_or_coordinator_shows_a_leak(world, staff_user, coordinator):
    objects = world["objects_a"]
    urls = [objects.url_for(route) for route in app_routes()]
    urls += [reverse("home"), reverse("accessibility"), reverse("password_change")]
    found = {}
    seen = 0
    for user in (staff_user, coordinator):
        client = Client()
        client.force_login(user)
        for url, response in _html_pages(client, urls):
            seen += 1
            if leaks := _leaks(_visible_text(response), LEAKS + APP_LEAKS):
                found[f"{user.username} {url}"] = leaks
    assert seen > 40
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(v) for url, v in found.items())


def test_no_page_of_django_admin_shows_a_leak(world, admin_client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="kim", ip_address="127.0.0.1", failures_since_start=2, user_agent="x"
    )
    a = world["a"]
    urls = [reverse("admin:index")]
    for model in (m for m in apps.get_models() if admin.site.is_registered(m)):
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        row = model._default_manager.first()
        if row is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
    for name in ("agreement", "session", "report", "expense"):
        obj = a[name]
        opts = obj._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    found = {}
    seen = 0
    for url, response in _html_pages(admin_client, urls):
        seen += 1
        if leaks := _leaks(_visible_text(response)):
            found[url] = leaks
    assert seen > 50
    assert not found, "\n".join(f"{url}:\n  " + "\n  ".join(v) for url, v in found.items())
