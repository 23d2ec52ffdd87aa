"""CSV import of expenses: preview, all or nothing, idempotent."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.expense_import import (
    Fate,
    NothingToImport,
    import_expenses,
    parse_amount,
    preview_import,
)
from finance.models import Expense, ExpenseImport
from partnership.models import LockedPeriod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GOOD = (
    "date;budget_line;amount;description;voucher\n"
    "2019-05-31;Staff;12 345,00;Salaries May;V1001\n"
    "2019-06-30;activities;1\u00a0500;Café supplies;V1002\n"
    '2019-07-01;Activities;"2 000,00";Study visit;V1003\n'
).encode()


@pytest.mark.parametrize(
    "text,value",
    [
        ("12 345,00", "12345.00"),
        ("12\u00a0345", "12345"),
        ("12345.00", "12345.00"),
        ("1.234.567", "1234567"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1,234", "1234"),
        ("−10", "-10"),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "12,3,4,5.6.7"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_good_file_imports_every_row_once(agreement, staff_user):
    preview = preview_import(agreement, GOOD, "may.csv")
    assert [r.fate for r in preview.rows] == [Fate.NEW] * 3
    assert preview.new_total == Decimal("15845")
    assert preview.can_import

    batch = import_expenses(agreement=agreement, raw=GOOD, filename="may.csv", user=staff_user)
    assert batch.row_count == 3
    rows = list(Expense.objects.filter(agreement=agreement).order_by("date"))
    assert [(e.date, e.budget_line.text, e.amount, e.voucher_reference) for e in rows] == [
        (date(2019, 5, 31), "Staff", Decimal("12345"), "V1001"),
        (date(2019, 6, 30), "Activities", Decimal("1500"), "V1002"),
        (date(2019, 7, 1), "Activities", Decimal("2000"), "V1003"),
    ]
    # History kept, with who imported.
    assert rows[0].history.get().history_user == staff_user

    # The same file again: refused as a whole, nothing new.
    again = preview_import(agreement, GOOD, "may.csv")
    assert again.previous_import == batch
    assert again.duplicate_count == 3 and not again.can_import
    with pytest.raises(NothingToImport):
        import_expenses(agreement=agreement, raw=GOOD, filename="may.csv", user=staff_user)
    assert Expense.objects.count() == 3


def test_overlapping_export_imports_only_new_rows(agreement, staff_user):
    import_expenses(agreement=agreement, raw=GOOD, filename="may.csv", user=staff_user)
    overlapping = GOOD + b"2019-08-01;Staff;100;August;V1004\n"
    preview = preview_import(agreement, overlapping, "aug.csv")
    assert [r.fate for r in preview.rows] == [Fate.DUPLICATE] * 3 + [Fate.NEW]
    assert "Already imported" in preview.rows[0].reason
    import_expenses(agreement=agreement, raw=overlapping, filename="aug.csv", user=staff_user)
    assert Expense.objects.count() == 4
    assert ExpenseImport.objects.count() == 2


def test_one_bad_row_imports_nothing_and_says_why(agreement, staff_user):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 4, 1), end_date=date(2019, 4, 30), reason="x"
    )
    bad = (
        "date,budget_line,amount,description,voucher\n"
        "2019-05-31,Staff,100,Fine,V1\n"
        "31/05/2019,Staff,100,US date,V2\n"
        "2019-05-31,Travel,100,Unknown line,V3\n"
        "2019-05-31,Staff,-100,Negative,V4\n"
        '2019-05-31,Staff,"100,50",Öre,V5\n'
        "2019-05-31,Staff,100,No voucher,\n"
        "2021-01-01,Staff,100,After the end,V6\n"
        "2019-04-15,Staff,100,Locked,V7\n"
        "2019-05-31,Staff\n"
        "2019-02-30,Staff,100,No such day,V8\n"
    ).encode()
    preview = preview_import(agreement, bad, "bad.csv")
    fates = {r.line_number: (r.fate, r.reason) for r in preview.rows}
    assert fates[2][0] == Fate.NEW
    assert "ISO date" in fates[3][1]
    assert "Unknown budget line “Travel”" in fates[4][1]
    assert "negative" in fates[5][1]
    assert "whole kronor" in fates[6][1]
    assert "voucher reference is missing" in fates[7][1]
    assert "outside the agreement" in fates[8][1]
    assert "locked" in fates[9][1]
    assert "Too few columns" in fates[10][1]
    assert "does not exist" in fates[11][1]
    assert preview.rejected_count == 9
    assert not preview.can_import
    with pytest.raises(NothingToImport):
        import_expenses(agreement=agreement, raw=bad, filename="bad.csv", user=staff_user)
    assert Expense.objects.count() == 0
    assert ExpenseImport.objects.count() == 0


def test_windows_1252_and_bom(agreement):
    text = "Datum;Budgetpost;Belopp;Beskrivning;Verifikation\r\n2019-05-31;Staff;1 000;Fika på café;V9\r\n"
    for raw in (text.encode("cp1252"), "\ufeff".encode() + text.encode()):
        preview = preview_import(agreement, raw, "x.csv")
        assert preview.rows[0].fate == Fate.NEW, preview.rows[0].reason
        assert preview.rows[0].description == "Fika på café"


def test_missing_columns_and_empty_file(agreement):
    assert "missing: amount, voucher" in preview_import(agreement, b"date;budget_line\n", "x").error
    assert preview_import(agreement, b"", "x").error


def test_rows_repeated_in_one_file(agreement):
    raw = GOOD + b"2019-05-31;Staff;12345;Salaries May;V1001\n"
    preview = preview_import(agreement, raw, "x.csv")
    assert preview.rows[-1].fate == Fate.DUPLICATE
    assert "line 2" in preview.rows[-1].reason


# --- Through the pages ------------------------------------------------------------------


def upload(client, agreement, raw, name="export.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("finance:expense_import", args=[agreement.pk]),
        {"file": SimpleUploadedFile(name, raw, content_type="text/csv")},
    )


def confirm(client, agreement, sha):
    return client.post(
        reverse("finance:expense_import_confirm", args=[agreement.pk]),
        {"sha256": sha},
        follow=True,
    )


def test_upload_preview_confirm_and_again(staff_client, agreement, staff_user):
    response = upload(staff_client, agreement, GOOD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Will be imported" in body and "Salaries May" in body
    assert Expense.objects.count() == 0  # a preview writes nothing

    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert "3 expenses were imported" in response.content.decode()
    assert Expense.objects.count() == 3

    response = upload(staff_client, agreement, GOOD)
    assert "already imported" in response.content.decode()
    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert "Nothing new to import" in response.content.decode()
    assert Expense.objects.count() == 3


def test_bad_upload_lists_line_and_reason(staff_client, agreement):
    raw = b"date;budget_line;amount;description;voucher\n2019-05-31;Nope;1;x;V1\n"
    response = upload(staff_client, agreement, raw)
    body = response.content.decode()
    assert "Rejected:" in body and "Unknown budget line" in body
    assert ">2</td>" in body  # the line number
    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert "Nothing was imported" in response.content.decode()
    assert Expense.objects.count() == 0


@pytest.mark.parametrize(
    "raw,preview_says,confirm_says",
    [
        # A file that cannot be read: its reason, not "already imported".
        (
            b'date;budget_line;amount;description;voucher\n2019-05-31;Staff;1;"open\n',
            "cannot be read",
            "Nothing was imported. Line 2 cannot be read",
        ),
        # Only the header: there is nothing in it, and nothing was imported before.
        (
            b"date;budget_line;amount;description;voucher\n",
            "no row of the file is a new expense",
            "Nothing to import: no row of the file is a new expense.",
        ),
    ],
)
def test_a_file_with_nothing_to_import_says_why(
    staff_client, agreement, raw, preview_says, confirm_says
):
    response = upload(staff_client, agreement, raw)
    body = response.content.decode()
    assert preview_says in body and "rows are already imported" not in body
    # A confirmation posted anyway (no button was shown) says the same, and writes nothing.
    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    body = response.content.decode()
    assert confirm_says in body and "rows are already imported" not in body
    assert Expense.objects.count() == 0


def test_confirm_without_preview_imports_nothing(staff_client, agreement):
    response = confirm(staff_client, agreement, "0" * 64)
    assert "preview has expired" in response.content.decode()
    assert Expense.objects.count() == 0


def test_budget_line_by_category_name_in_either_language(agreement):
    raw = "date;budget_line;amount;voucher\n2019-05-31;verksamhetskostnader;10;V1\n2019-05-31;PERSONNEL;10;V2\n"
    preview = preview_import(agreement, raw.encode(), "x.csv")
    assert [r.budget_line.text for r in preview.rows] == ["Activities", "Staff"]


# --- Hostile files (issue 17): a message in the reader's language, nothing written ----------

HEADER = b"date;budget_line;amount;voucher;description\n"
HOSTILE = {
    "too few columns": (HEADER + b"2019-06-01;Staff\n", "Too few columns"),
    "unclosed quote": (
        HEADER + b'2019-06-01;Staff;100;V1;"open\n2019-06-02;Staff;1;V2;x\n',
        "Line 2 cannot be read",
    ),
    "text after a quote": (HEADER + b'2019-06-01;Staff;100;V1;"a"b\n', "Line 2 cannot be read"),
    "a field over the csv limit": (
        HEADER + b"2019-06-01;Staff;100;V1;" + b"x" * 131_073 + b"\n",
        "Line 2 has a field longer than 131072 characters",
    ),
    "NUL in the description": (HEADER + b"2019-06-01;Staff;100;V1;a\x00b\n", "U+0000"),
    "NUL in the voucher": (HEADER + b"2019-06-01;Staff;100;V\x001;x\n", "U+0000"),
    "escape in the description": (HEADER + b"2019-06-01;Staff;100;V1;a\x1b[31mb\n", "U+001B"),
    "a direction override in the description": (
        HEADER + "2019-06-01;Staff;100;V1;Kvitto \u202etxt.exe\n".encode(),
        "U+202E",
    ),
    "description too long": (
        HEADER + b"2019-06-01;Staff;100;V1;" + b"x" * 301 + b"\n",
        "at most 300",
    ),
    "voucher too long": (HEADER + b"2019-06-01;Staff;100;" + b"V" * 101 + b";x\n", "at most 100"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_with_a_message_and_writes_nothing(staff_client, agreement, name):
    raw, message = HOSTILE[name]
    response = upload(staff_client, agreement, raw)
    assert response.status_code == 200
    assert message in response.content.decode()
    preview = response.context["preview"]
    assert not preview.can_import
    confirm(staff_client, agreement, preview.sha256)
    with pytest.raises(NothingToImport):
        import_expenses(agreement=agreement, raw=raw, filename="x.csv")
    assert Expense.objects.count() == 0 and ExpenseImport.objects.count() == 0


def test_the_message_for_an_unreadable_file_is_in_swedish_by_default(
    staff_client, agreement, settings
):
    settings.LANGUAGE_CODE = "sv"
    response = upload(staff_client, agreement, HOSTILE["unclosed quote"][0])
    assert "Rad 2 går inte att läsa" in response.content.decode()


def test_the_uploaded_file_name_is_stored_as_one_harmless_line(agreement, staff_user):
    batch = import_expenses(
        agreement=agreement, raw=GOOD, filename="may\r\n\x00.csv", user=staff_user
    )
    assert batch.filename == "may .csv"
    batch.full_clean()
