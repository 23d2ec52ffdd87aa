"""Text from a page or Django admin (issue 17): control characters refused, except line
breaks and tabs in prose; every free-text field has a maximum length that is enforced. A
refused post answers with the form and a message in the reader's language, and writes
nothing. (The CSV import: finance/tests/test_expense_import.py; the rule itself:
core/tests/test_text.py.)"""

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from partnership.models import Agreement
from reporting.models import NARRATIVE, Report
from tests.test_scoped_access import snapshot

pytestmark = pytest.mark.django_db


def current_data(form):
    """What the form would post back unchanged: each field's current value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [v.pk if isinstance(v, models.Model) else v for v in value]
        else:
            data[name] = value.pk if isinstance(value, models.Model) else value
    return data


# (role, URL name, object of agreement A, field, hostile value, words of the message)
CASES = [
    ("staff", "visits:session_edit", "session", "note", "a\x00b", "U+0000"),
    ("staff", "visits:session_edit", "session", "note", "x" * 2001, "2000"),
    ("staff", "visits:activity_edit", "activity", "description", "\x1b[2Jx", "U+001B"),
    ("staff", "visits:activity_edit", "activity", "description", "Quiz \u202etxt", "U+202E"),
    ("staff", "finance:expense_edit", "expense", "description", "rent\rX-INJECTED:1", "U+000D"),
    ("staff", "finance:expense_edit", "expense", "voucher_reference", "V\n1", "U+000A"),
    ("coordinator", "finance:payment_edit", "payment", "reference", "=1+1\x07", "U+0007"),
    ("coordinator", "finance:payment_edit", "payment", "note", "y" * 2001, "2000"),
]


@pytest.mark.parametrize(
    "role, url_name, obj, field, value, words", CASES, ids=[f"{c[1]}-{c[3]}" for c in CASES]
)
def test_a_page_refuses_hostile_text_and_writes_nothing(
    world, staff_client, coordinator_client, role, url_name, obj, field, value, words
):
    client = staff_client if role == "staff" else coordinator_client
    url = reverse(url_name, args=[world["a"][obj].pk])
    data = current_data(client.get(url).context["form"])
    data[field] = value
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert snapshot() == before


def test_the_same_page_saves_the_text_without_the_control_character(world, staff_client):
    """Not vacuous: the data the test posts is otherwise good."""
    session = world["a"]["session"]
    url = reverse("visits:session_edit", args=[session.pk])
    data = current_data(staff_client.get(url).context["form"])
    data["note"] = "Line one\r\n\tLine two"
    assert staff_client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.note == "Line one\n\tLine two"


def draft_report(world):
    return Report.objects.get(deadline__agreement=world["a"]["agreement"], deadline__kind="final")


@pytest.mark.parametrize(
    "value, words",
    [
        ("x" * (NARRATIVE["max_length"] + 1), f"at most {NARRATIVE['max_length']}"),
        ("line\n" * NARRATIVE["max_lines"] + "one too many", f"at most {NARRATIVE['max_lines']}"),
        ("2.4 MB " * 350_000, "at most"),
    ],
    ids=["too long", "too many lines", "2.4 MB"],
)
def test_a_report_section_has_a_maximum(world, staff_client, english, value, words):
    report = draft_report(world)
    url = reverse("reporting:report_edit", args=[report.pk])
    before = snapshot()
    response = staff_client.post(url, {"summary": value})
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["summary"])
    assert snapshot() == before


def test_a_report_section_at_its_maximum_is_saved(world, staff_client):
    report = draft_report(world)
    text = "\n".join(["x" * 99] * NARRATIVE["max_lines"])[: NARRATIVE["max_length"]]
    url = reverse("reporting:report_edit", args=[report.pk])
    assert staff_client.post(url, {"summary": text}).status_code == 302
    report.refresh_from_db()
    assert report.summary == text


def test_a_coordinators_comment_refuses_control_characters(world, coordinator_client):
    report = world["a"]["report"]  # submitted: it can be returned
    before = snapshot()
    url = reverse("reporting:report_return", args=[report.pk])
    response = coordinator_client.post(url, {"comment": "Please \x1b fix"})
    assert response.status_code == 200
    assert "U+001B" in str(response.context["form"].errors)
    assert snapshot() == before


def test_the_swedish_message_is_shown_by_default(world, staff_client):
    url = reverse("visits:session_edit", args=[world["a"]["session"].pk])
    data = current_data(staff_client.get(url).context["form"])
    data["note"] = "a\x00b"
    response = staff_client.post(url, data)
    assert "Ta bort styrtecknet U+0000" in response.content.decode()


# --- Django admin ---------------------------------------------------------------------------


def test_admin_refuses_a_line_break_in_a_name(world, admin_client):
    organisation = world["a"]["agreement"].parties.first().organisation
    url = reverse("admin:partnership_organisation_change", args=[organisation.pk])
    data = current_data(admin_client.get(url).context["adminform"].form)
    data["name"] = "Hej\r\nX-INJECTED: 1"
    before = snapshot()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "U+000D" in str(response.context["adminform"].form.errors["name"])
    assert snapshot() == before


def test_admin_refuses_a_control_character_in_a_commitment(world, admin_client):
    commitment = world["a"]["commitment"]
    url = reverse("admin:partnership_commitment_change", args=[commitment.pk])
    data = current_data(admin_client.get(url).context["adminform"].form)
    data["text"] = "We provide\x00 premises"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "U+0000" in str(response.context["adminform"].form.errors["text"])


def test_the_agreement_admin_form_refuses_a_carriage_return_in_the_short_name(world, admin_user):
    agreement = world["a"]["agreement"]
    model_admin = admin.site._registry[Agreement]
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = model_admin.get_form(request, agreement)
    data = current_data(form_class(instance=agreement))
    data["short_name"] = 'LivA\rX-INJECTED:1"'
    form = form_class(data, instance=agreement)
    assert not form.is_valid()
    assert list(form.errors) == ["short_name"]
