"""core's pages: the accessibility statement."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_accessibility_statement_is_public_and_says_what_the_law_asks(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    text = _text(response)
    assert "Tillgänglighetsredogörelse" in text
    assert "WCAG 2.1" in text and "AA" in text  # the standard
    assert "2018:1937" in text  # the act
    assert "Kända brister" in text  # known gaps
    assert "Så testas tjänsten" in text  # how it is tested
    assert 'href="https://www.digg.se/tdosanmalan"' in response.content.decode()  # supervision


def test_the_statement_names_the_configured_contact(client, settings):
    settings.ACCESSIBILITY_ORGANISATION = "Östersunds kommun"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@ostersund.se"
    settings.ACCESSIBILITY_CONTACT_PHONE = "063-14 30 00"
    response = client.get(reverse("accessibility"))
    html = response.content.decode()
    assert 'href="mailto:tillganglighet@ostersund.se"' in html
    assert "063-14 30 00" in html
    assert "Östersunds kommun ansvarar för" in _text(response)


def test_without_a_contact_the_statement_says_whom_to_ask(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = settings.ACCESSIBILITY_CONTACT_PHONE = ""
    response = client.get(reverse("accessibility"))
    assert "mailto:" not in response.content.decode()
    assert "administratören för din organisation" in _text(response)


@pytest.mark.parametrize("page", ["login", "home", "admin:index"])
def test_every_footer_links_to_the_statement(admin_client, client, page):
    response = (client if page == "login" else admin_client).get(reverse(page))
    assert response.status_code == 200
    footer = re.search(r"<footer.*?</footer>", response.content.decode(), re.DOTALL).group(0)
    assert f'href="{reverse("accessibility")}"' in footer
