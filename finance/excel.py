"""Excel export of the budget page: numbers as numbers, in a kronor format; text (the
agreement's title, the budget lines) as text that never runs as a formula
(``core.spreadsheet``)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheet import xlsx_row

KRONOR_FORMAT = '#,##0 "kr";-#,##0 "kr"'
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "#,##0.0"


def budget_workbook(figures) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Budget")[:31]
    bold = Font(bold=True)
    a = figures.agreement
    ws.append(xlsx_row(ws, [a.title]))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        xlsx_row(ws, [_("Period"), f"{figures.start.isoformat()} – {figures.end.isoformat()}"])
    )
    ws.append(xlsx_row(ws, [_("As of"), figures.as_of.isoformat()]))
    ws.append(xlsx_row(ws, [_("Share of the period elapsed"), float(figures.period_elapsed_share)]))
    ws.cell(ws.max_row, 2).number_format = PERCENT_FORMAT
    ws.append([])
    header = [
        _("Budget line"),
        _("Budget"),
        _("Outcome"),
        _("Share used"),
        _("Forecast"),
        _("Deviation"),
        _("Deviation (%)"),
        _("Flagged"),
    ]
    ws.append(xlsx_row(ws, header))
    for cell in ws[ws.max_row]:
        cell.font = bold
    formats = [None, KRONOR_FORMAT, KRONOR_FORMAT, PERCENT_FORMAT, KRONOR_FORMAT, KRONOR_FORMAT]
    formats += [PERCENT_FORMAT, None]

    def ratio(value):
        return float(value) if value is not None else None

    rows = [
        [
            f.line.text,
            int(f.budget),
            int(f.outcome),
            ratio(f.share_used),
            int(f.forecast),
            int(f.deviation),
            ratio(f.deviation_share),
            _("yes") if f.flagged else "",
        ]
        for f in figures.lines
    ]
    rows.append(
        [
            _("Total"),
            int(figures.budget_total),
            int(figures.outcome_total),
            ratio(figures.share_used),
            int(figures.forecast_total),
            int(figures.deviation_total),
            ratio(figures.deviation_total_share),
            "",
        ]
    )
    for row in rows:
        ws.append(xlsx_row(ws, row))
        for cell, fmt in zip(ws[ws.max_row], formats, strict=True):
            if fmt:
                cell.number_format = fmt
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.append([])
    money = [
        (_("Payments received"), figures.payments_total),
        (_("Balance (payments − outcome)"), figures.balance),
        (_("Unused funds"), figures.unused_funds),
        (_("To repay at the end"), figures.to_repay),
        (_("Notional value of in-kind hours (not a cost)"), figures.in_kind["notional_value"]),
    ]
    for label, value in money:
        ws.append(xlsx_row(ws, [label, int(value)]))
        ws.cell(ws.max_row, 2).number_format = KRONOR_FORMAT
    hours = [
        (_("Volunteer hours"), figures.in_kind["volunteer_hours"]),
        (_("Civil-servant hours"), figures.in_kind["civil_servant_hours"]),
    ]
    for label, value in hours:
        ws.append(xlsx_row(ws, [label, float(value)]))
        ws.cell(ws.max_row, 2).number_format = HOURS_FORMAT
    ws.column_dimensions["A"].width = 44
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 15
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
