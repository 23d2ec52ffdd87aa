"""Text from users is shown as text: escaped in every HTML page, literal in the PDF.

Every free-text field of every row of agreement A gets ``PAYLOAD``; then every page of the
project is requested as staff and as coordinator. No HTML page may contain the raw tag, and
the pages that show such text must show its escaped form."""

import io
import re

import pytest
from django.db import models
from django.test import Client
from pypdf import PdfReader

from tests.test_scoped_access import app_routes

PAYLOAD = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
# Not free text typed by a user, or frozen by design.
SKIPPED_FIELDS = {"narrative_json", "figures_json", "sha256", "token", "language", "org_number"}


def text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        if field.choices or field.name in SKIPPED_FIELDS or field.primary_key:
            continue
        if isinstance(field, (models.EmailField, models.URLField, models.SlugField)):
            continue
        if field.max_length and field.max_length < len(PAYLOAD) + 10:
            continue
        yield field


def poison(objects) -> list[str]:
    """Put PAYLOAD into every free-text field of the given rows; return what was poisoned."""
    poisoned = []
    for obj in {id(o): o for o in objects}.values():
        model = type(obj)
        values = {f.name: f"{PAYLOAD} {f.name}" for f in text_fields(model)}
        if values:
            model._default_manager.filter(pk=obj.pk).update(**values)  # no lock, no validation
            poisoned += [f"{model._meta.label}.{name}" for name in values]
    return poisoned


@pytest.fixture
def poisoned(world):
    a = world["a"]
    agreement = a["agreement"]
    rows = [
        *a.values(),
        *agreement.parties.all(),
        *(p.organisation for p in agreement.parties.all()),
        *agreement.commitments.all(),
        *agreement.budget_lines.all(),
        *agreement.deadlines.all(),
    ]
    from reporting.models import Report

    rows += list(Report.objects.filter(deadline__agreement=agreement))
    fields = poison([r for r in rows if isinstance(r, models.Model)])
    assert "visits.Session.note" in fields and "reporting.Report.summary" in fields
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_user", "coordinator"])
def test_no_page_shows_user_text_unescaped(poisoned, role, request):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    objects = poisoned["objects_a"]
    raw, escaped = [], []
    for route in app_routes():
        url = objects.url_for(route)
        response = client.get(url)
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if re.search(r"<script>alert|<b>x</b>", body):
            raw.append(f"{url} ({route})")
        if ESCAPED in body:
            escaped.append(route.name)
    assert not raw, "unescaped user text in:\n" + "\n".join(raw)
    # The check above is not vacuous: the pages that show user text show it escaped.
    expected = {
        "home",
        "partnership:agreement_detail",
        "reporting:report_detail",
        "visits:session_list",
        "visits:activity_list",
        "finance:expense_list",
    }
    assert expected <= set(escaped), set(escaped)


@pytest.mark.django_db
def test_the_pdf_shows_user_text_literally(poisoned, staff_client):
    """A draft report's PDF (rendered now by WeasyPrint) prints the characters, not markup."""
    from reporting.models import Report

    report = Report.objects.get(
        deadline__agreement=poisoned["a"]["agreement"], deadline__kind="final"
    )
    response = staff_client.get(f"/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", PAYLOAD + " summary") in flat
