"""Frozen report PDFs (issue 17, item 6): checked against their SHA-256 whenever they are
served, and never served as plain files, not even with DEBUG on."""

import importlib
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db


def stored(version) -> Path:
    return Path(settings.MEDIA_ROOT) / version.pdf.name


def test_an_intact_frozen_pdf_is_served(world, coordinator_client):
    version = world["a"]["version"]
    response = coordinator_client.get(reverse("reporting:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored(version).read_bytes()


@pytest.mark.parametrize("damage", ["altered", "missing"])
def test_a_damaged_frozen_pdf_is_refused_with_a_page_and_logged(
    world, coordinator_client, caplog, english, damage
):
    version = world["a"]["version"]
    path = stored(version)
    if damage == "altered":
        path.write_bytes(path.read_bytes().replace(b"%PDF-1.4", b"%PDF-1.5"))
    else:
        path.unlink()
    urls = [
        reverse("reporting:version_pdf", args=[version.pk]),
        reverse("reporting:audit_bundle", args=[world["a"]["agreement"].pk]),
    ]
    for url in urls:
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="core.stored"):
            response = coordinator_client.get(url)
        assert response.status_code == 409, url
        assert response["Content-Type"].startswith("text/html")
        assert "no longer the file that was submitted" in response.content.decode()
        assert any(str(version.pk) in r.getMessage() for r in caplog.records), caplog.records


def test_the_damaged_page_is_in_swedish_by_default(world, coordinator_client):
    version = world["a"]["version"]
    stored(version).write_bytes(b"%PDF-1.4 something else")
    response = coordinator_client.get(reverse("reporting:version_pdf", args=[version.pk]))
    assert response.status_code == 409
    assert "inte längre den fil som lämnades in" in response.content.decode()


@pytest.fixture
def debug_urls(settings):
    """The URL conf as it is built with DEBUG on (the development server)."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_media_is_not_served_with_debug_on(world, debug_urls, coordinator_client):
    version = world["a"]["version"]
    assert stored(version).exists()
    url = f"{settings.MEDIA_URL}{version.pdf.name}"  # "/media/reports/…"
    assert Client().get(url).status_code == 404
    assert coordinator_client.get(url).status_code == 404  # not even for a reader of it
