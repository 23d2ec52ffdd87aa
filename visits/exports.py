"""CSV and Excel exports of the filtered session and activity lists. Aggregates only: no
column can identify a visitor. Notes and descriptions are user text: every value goes through
``core.spreadsheet``, so none runs as a formula."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.downloads import content_disposition, file_name
from core.spreadsheet import csv_row, xlsx_row

from .models import Gender

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def session_table(sessions):
    header = [
        _("Date"),
        _("Venue"),
        _("Start"),
        _("End"),
        _("Staff on duty"),
        _("Volunteers on duty"),
        _("Volunteer hours"),
        _("New visitors"),
        _("Visits"),
        *[_("Visits: %(gender)s") % {"gender": label} for label in Gender.labels],
        _("Note"),
    ]
    rows = [
        [
            s.date,
            s.venue.name,
            s.start_time.strftime("%H:%M"),
            s.end_time.strftime("%H:%M"),
            s.staff_on_duty,
            s.volunteers_on_duty,
            s.volunteer_hours,
            s.new_visitors,
            s.visits,
            *[getattr(s, f"visits_{g}") for g in Gender.values],
            s.note,
        ]
        for s in sessions
    ]
    return header, rows


def activity_table(activities):
    header = [
        _("Date"),
        _("Type"),
        _("Venue"),
        _("Commitments"),
        _("Partner organisations"),
        _("Participants"),
        _("Lunch coupons"),
        _("Hostel nights"),
        _("Referrals"),
        _("Volunteer hours"),
        _("Description"),
    ]
    rows = [
        [
            a.date,
            a.type_label,
            a.venue.name if a.venue else "",
            "; ".join(c.short_text for c in a.commitment_list),
            "; ".join(p.name for p in a.partner_list),
            a.participants,
            a.coupons,
            a.hostel_nights,
            a.referrals,
            a.volunteer_hours,
            a.description,
        ]
        for a in activities
    ]
    return header, rows


def csv_response(name, header, rows):
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
