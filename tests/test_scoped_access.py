"""Nobody reaches what is not theirs.

Two organisations pairs with an agreement each (``world``). For every URL of the project
(walked from the resolver, so new views are covered without editing this file), filled with the
ids of agreement A's objects:

- a user of the other organisations (staff and coordinator of agreement B) gets 403 or 404 for
  every URL that names an object, and no page shows any of A's texts;
- their POSTs change no row of any table;
- a user of A's own organisations reaches the same URL (so the ids were right and the refusal
  above is not an accident of a wrong id).
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests.conftest import ALPHA_MARKER
from tests.urlwalk import all_routes

DOMAIN_APPS = tuple(settings.PROJECT_APPS)
# Rows a user may create for themselves on a page of their own, with the reason.
OWN_ROWS = {
    "reporting.CalendarToken": "the calendar page makes the visitor's own feed token",
}


def app_routes():
    """The project's own routes (Django admin has its own gate: is_staff; tested apart)."""
    return [
        r
        for r in all_routes()
        if r.namespace != "admin"
        and r.view_path.split(".")[0] in DOMAIN_APPS
        and "token" not in r.converters
    ]


def object_routes():
    return [r for r in app_routes() if r.converters]


def snapshot() -> dict:
    """Every row of every table of the domain apps and auth, as comparable values."""
    data = {}
    for app_label in (*DOMAIN_APPS, "auth"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in OWN_ROWS:
                continue
            data[model._meta.label] = sorted(
                (tuple(sorted(row.items())) for row in model.objects.values()), key=repr
            )
    return data


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("outsider", ["outsider_staff", "outsider_coordinator"])
def test_other_organisation_gets_no_object_and_no_data(world, outsider, request):
    client = client_for(request.getfixturevalue(outsider))
    objects = world["objects_a"]
    before = snapshot()
    failures = []
    for route in app_routes():
        url = objects.url_for(route)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace") if not response.streaming else ""
            if ALPHA_MARKER in body:
                failures.append(f"{method.upper()} {url} ({route}) shows agreement A's data")
            if route.converters and response.status_code not in (403, 404, 405):
                failures.append(f"{method.upper()} {url} ({route}): {response.status_code}")
            if not route.converters and method == "post" and response.status_code >= 500:
                failures.append(f"POST {url} ({route}): {response.status_code}")
    assert not failures, "\n".join(failures)
    assert snapshot() == before, "a refused request changed data"


@pytest.mark.django_db
def test_own_organisation_reaches_every_object_url(world, staff_user, coordinator):
    """The ids filled in above are right: A's own users are not told 404."""
    clients = {"staff": client_for(staff_user), "coordinator": client_for(coordinator)}
    objects = world["objects_a"]
    failures = []
    for route in object_routes():
        url = objects.url_for(route)
        statuses = {role: c.get(url).status_code for role, c in clients.items()}
        if any(s >= 500 for s in statuses.values()) or all(s == 404 for s in statuses.values()):
            failures.append(f"{url} ({route}): {statuses}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_only_admins_reach_django_admin(world, staff_client, coordinator_client, admin_client):
    url = f"/admin/partnership/agreement/{world['a']['agreement'].pk}/change/"
    for client in (staff_client, coordinator_client):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert admin_client.get(url).status_code == 200


def test_the_walk_finds_the_object_urls():
    names = {r.name for r in object_routes()}
    assert "partnership:agreement_detail" in names


@pytest.mark.django_db
def test_a_calendar_feed_shows_only_its_owners_agreements(world, outsider_coordinator, coordinator):
    """The token-protected feed is scoped like every page: by the token owner's organisation."""
    from reporting.models import CalendarToken

    def feed(user):
        token = CalendarToken.objects.get_or_create(user=user)[0].token
        response = Client().get(f"/reports/calendar/{token}.ics")
        assert response.status_code == 200
        return response.content.decode()

    assert ALPHA_MARKER not in feed(outsider_coordinator)
    assert "Beta agreement title" in feed(outsider_coordinator)
    assert ALPHA_MARKER in feed(coordinator)
