"""Every URL of the project sends an anonymous visitor to the login page.

The test walks the URL resolver, so a view added tomorrow is covered without anyone adding it
here. Only the short allow-list below is public, each entry with its reason. A URL carrying a
``token`` kwarg is a deliberately token-protected feed: it must answer 404 to a wrong token.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.urlwalk import all_routes

# Public on purpose (by URL name), with the reason.
PUBLIC_URL_NAMES = {
    "login": "the login page itself",
    "healthz": "load balancer probe; answers only ok/error about the database",
    "set_language": "stores the language choice in a cookie; shows nothing",
    "admin:login": "Django admin's own login page",
    "accessibility": "the accessibility statement, which the law asks to be public",
}
# Public on purpose (by view), with the reason.
PUBLIC_VIEWS = {}


def is_redirect_to(response, path):
    return response.status_code == 302 and urlsplit(response["Location"]).path == path


def anonymous_access_failures(objects) -> list[str]:
    """Every route that answers an anonymous visitor with anything but the login page."""
    client = Client()
    login_path = reverse("login")
    admin_login_path = reverse("admin:login")
    failures = []
    for route in all_routes():
        if route.name in PUBLIC_URL_NAMES or route.view_path in PUBLIC_VIEWS:
            continue
        url = objects.url_for(route)
        if url is None:
            failures.append(f"{route}: the walker cannot build a URL for it")
            continue
        if "token" in route.converters:
            response = client.get(url)
            if response.status_code != 404:
                failures.append(f"{url} ({route}): wrong token gave {response.status_code}")
            continue
        expected = admin_login_path if route.namespace == "admin" else login_path
        response = client.get(url)
        if response.status_code == 405:  # POST-only view: the POST must be refused too
            response = client.post(url)
        ok = is_redirect_to(response, expected)
        if route.name in ("logout", "admin:logout"):
            # Logging out an anonymous visitor is harmless and shows nothing.
            ok = ok or response.status_code in (302, 405)
        if not ok:
            failures.append(
                f"{url} ({route}, {route.view_path}): {response.status_code} "
                f"{response.get('Location', '')}"
            )
    return failures


@pytest.mark.django_db
def test_every_url_sends_anonymous_visitor_to_login(world):
    failures = anonymous_access_failures(world["objects_a"])
    assert not failures, "Reachable without login:\n" + "\n".join(failures)


def test_the_walk_covers_the_project_urls():
    names = {route.name for route in all_routes()}
    assert {"home", "partnership:agreement_detail", "admin:index", "logout"} <= names
    assert any(name and name.startswith("admin:finance_expense") for name in names)


@pytest.mark.django_db
def test_the_walk_catches_a_view_without_login_required(world, settings):
    # tests/leaky_urls.py is the real urlconf plus one view that forgot @login_required.
    settings.ROOT_URLCONF = "tests.leaky_urls"
    failures = anonymous_access_failures(world["objects_a"])
    assert len(failures) == 1, failures
    assert failures[0].startswith(f"/leak/{world['a']['agreement'].pk}/ (leak,")


@pytest.mark.django_db
def test_healthz_is_public_and_reveals_nothing(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
