"""The app's own error pages (400, 403, 404, 500 and the expired form): in the reader's
language, saying what happened, with a way back to the front page."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _text(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _assert_page(response, status, heading, language):
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert re.search(rf"<h1[^>]*>{re.escape(heading)}</h1>", html), html[:2000]
    assert f'href="{reverse("home")}"' in html  # the way back
    assert f'href="{reverse("accessibility")}"' in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Du får inte göra detta"), ("en", "You may not do this")],
)
def test_a_refused_role_sees_the_403_page_in_its_language(
    staff_client, agreement, language, heading
):
    # Payments are the coordinator's to register, not the staff's.
    response = _in(staff_client, language).get(
        reverse("finance:payment_create", args=[agreement.pk])
    )
    _assert_page(response, 403, heading, language)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Sidan finns inte"), ("en", "The page was not found")],
)
def test_another_organisations_agreement_is_a_404_page(
    outsider_client, agreement, language, heading
):
    response = _in(outsider_client, language).get(
        reverse("partnership:agreement_detail", args=[agreement.pk])
    )
    _assert_page(response, 404, heading, language)
    # Nothing of the agreement shows.
    assert agreement.title not in response.content.decode()


def test_an_unknown_address_is_a_404_page_even_before_logging_in(client):
    response = client.get("/no-such-page/")
    _assert_page(response, 404, "Sidan finns inte", "sv")


def test_a_bad_request_is_a_400_page(client):
    response = client.get(reverse("login"), HTTP_HOST="not-an-allowed-host.example")
    _assert_page(response, 400, "Begäran kunde inte läsas", "sv")


@pytest.mark.parametrize(
    ("language", "heading"),
    [("sv", "Något gick fel"), ("en", "Something went wrong")],
)
def test_a_server_error_is_a_500_page_in_the_readers_language(
    settings, staff_user, language, heading
):
    settings.ROOT_URLCONF = "tests.broken_urls"
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    response = _in(client, language).get("/boom/")
    _assert_page(response, 500, heading, language)
    assert "a bug" not in _text(response)  # no detail of the failure reaches the reader


def test_an_expired_form_says_nothing_was_saved(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(reverse("reporting:calendar"))
    _assert_page(response, 403, "Formuläret hade gått ut", "sv")
    assert "Inget sparades" in _text(response)
