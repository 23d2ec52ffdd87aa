"""CSV and Excel exports of the expense list (filtered as the list is) and the payment list.
Descriptions, references and notes are user text: every value goes through
``core.spreadsheet``, so none runs as a formula."""

from django.utils.translation import gettext as _


def expense_table(expenses):
    header = [
        _("Date"),
        _("Budget line"),
        _("Description"),
        _("Voucher"),
        _("Amount (kr)"),
    ]
    rows = [
        [e.date, e.budget_line.text, e.description, e.voucher_reference, e.amount] for e in expenses
    ]
    return header, rows


def payment_table(payments):
    header = [_("Date"), _("Reference"), _("Note"), _("Amount (kr)")]
    rows = [[p.date, p.reference, p.note, p.amount] for p in payments]
    return header, rows
