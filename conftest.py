"""Shared fixtures: two agreements of two pairs of organisations, and users in every role.

``agreement`` is between ``municipality`` and ``association``; ``other_agreement`` is between
two other organisations. ``staff_user`` and ``coordinator`` belong to the first pair,
``outsider_staff`` and ``outsider_coordinator`` to the second, ``admin_user`` is a superuser
with no organisation.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import translation

from partnership.tests.factories import (
    AgreementFactory,
    UserFactory,
)


def _user(username, organisation, group):
    user = UserFactory(username=username, organisation=organisation)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def agreement(db):
    return AgreementFactory()


@pytest.fixture
def municipality(agreement):
    return agreement.parties.get(role="public").organisation


@pytest.fixture
def association(agreement):
    return agreement.parties.get(role="idea_driven").organisation


@pytest.fixture
def other_agreement(db):
    return AgreementFactory()


@pytest.fixture
def staff_user(association):
    return _user("staff", association, "staff")


@pytest.fixture
def coordinator(municipality):
    return _user("coordinator", municipality, "coordinator")


@pytest.fixture
def outsider_staff(other_agreement):
    return _user(
        "outsider_staff", other_agreement.parties.get(role="idea_driven").organisation, "staff"
    )


@pytest.fixture
def outsider_coordinator(other_agreement):
    return _user(
        "outsider_coordinator",
        other_agreement.parties.get(role="public").organisation,
        "coordinator",
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True, organisation=None)


@pytest.fixture
def english(settings):
    """Pages and messages in English, whatever the default language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user):
    return client_for(staff_user)


@pytest.fixture
def coordinator_client(coordinator):
    return client_for(coordinator)


@pytest.fixture
def outsider_client(outsider_staff):
    return client_for(outsider_staff)


@pytest.fixture
def outsider_coordinator_client(outsider_coordinator):
    return client_for(outsider_coordinator)


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)


@pytest.fixture(autouse=True)
def _english_off_media(settings, tmp_path):
    # Files written by a test (report PDFs, backups) go to a temporary folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _no_earlier_pdfs():
    """Each test lays its PDFs out itself: none is taken from an earlier test's, even where
    the same fixtures made the same HTML."""
    from django.core.cache import caches

    caches["pdfs"].clear()


def pytest_collection_modifyitems(config, items):
    """``postgres`` tests run only on PostgreSQL; ``e2e`` tests need Debian's Chromium.

    In CI (IOP_REQUIRE_E2E=1) a missing browser is an error, not a skip."""
    import os

    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_browser = os.path.exists("/usr/bin/chromium")
    require_browser = os.environ.get("IOP_REQUIRE_E2E") == "1"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "e2e" in item.keywords and not has_browser and not require_browser:
            item.add_marker(
                pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install chromium)")
            )
