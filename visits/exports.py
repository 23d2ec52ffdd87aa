"""CSV and Excel exports of the filtered session and activity lists. Aggregates only: no
column can identify a visitor. Notes and descriptions are user text: every value goes through
``core.spreadsheet`` (``csv_response``, ``xlsx_response``), so none runs as a formula."""

from django.utils.translation import gettext as _

from .models import Gender


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
