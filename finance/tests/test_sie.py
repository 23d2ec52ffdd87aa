"""SIE 4 import of expenses: the reader, the fates, all or nothing, idempotent, the pages,
the account rules and the command."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from finance.expense_import import NothingToImport
from finance.models import Expense, ExpenseImport, SieMappingRule, SieVoucher
from finance.sie import SieError, decode, parse, tokens
from finance.sie_import import Fate, import_sie, preview_sie, round_to_kronor
from finance.tests.sie_files import rent_and_salary, sie_text
from partnership.models import BudgetLine, LockedPeriod

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def org_number(association):
    return association.org_number


@pytest.fixture
def staff_line(agreement):
    return agreement.budget_lines.get(text="Staff")


@pytest.fixture
def activities_line(agreement):
    return agreement.budget_lines.get(text="Activities")


@pytest.fixture
def rules(agreement, staff_line, activities_line):
    """Personnel of LivA only; activities for any object."""
    return [
        SieMappingRule.objects.create(
            agreement=agreement,
            account_from=7010,
            account_to=7699,
            dimension=1,
            object_id="LivA",
            budget_line=staff_line,
        ),
        SieMappingRule.objects.create(
            agreement=agreement, account_from=4000, account_to=4999, budget_line=activities_line
        ),
        SieMappingRule.objects.create(
            agreement=agreement, account_from=5400, account_to=5999, budget_line=activities_line
        ),
    ]


def one_voucher(org_number, *transactions, ver='#VER A 7 20190615 "Inköp"', **kwargs):
    return sie_text(org_number, [(ver, list(transactions))], **kwargs).encode("cp437")


# --- The reader -------------------------------------------------------------------------------


def test_tokens_quotes_escapes_and_object_lists():
    assert tokens(r'#TRANS 7010 {1 "LivA" 6 "P 1"} -12.50 "" "Säg \"hej\""') == [
        "#TRANS",
        "7010",
        ["1", "LivA", "6", "P 1"],
        "-12.50",
        "",
        'Säg "hej"',
    ]
    assert tokens("#TRANS 1930 {} 5") == ["#TRANS", "1930", [], "5"]
    assert tokens("#TRANS\t1930\t{}\t5") == ["#TRANS", "1930", [], "5"]


def test_the_three_encodings_give_the_same_letters():
    text = '#FNAMN "Hej främling! Åre, Östersund"\r\n'
    for encoding in ("cp437", "cp1252", "utf-8"):
        decoded, found = decode(text.encode(encoding))
        assert decoded == text and found == encoding
    assert decode(b"\xef\xbb\xbf" + text.encode())[0] == text  # a UTF-8 byte-order mark


def test_a_pc8_file_with_crlf_multiple_years_and_several_transactions(org_number):
    raw = sie_text(
        org_number,
        [
            (
                '#VER A 1 20190510 "Hyra maj, Café Tingshuset" 20190511',
                ['#TRANS 5010 {1 "LivA"} 8000.00', "#TRANS 2640 {} 2000", "#TRANS 1930 {} -10000"],
            ),
            ('#VER "" 3 20180601 "Förra året"', ["#TRANS 5010 {} 1"]),
        ],
        years=(("0", "20190101", "20191231"), ("-1", "20180101", "20181231")),
    ).encode("cp437")
    assert b"\r\n" in raw and "å".encode("cp437") in raw
    sie = parse(raw)
    assert sie.encoding == "cp437" and sie.format == "PC8" and sie.sie_type == "4"
    assert sie.company_name == "Hej främling!" and sie.org_number == org_number
    assert sie.years == {
        0: (date(2019, 1, 1), date(2019, 12, 31)),
        -1: (date(2018, 1, 1), date(2018, 12, 31)),
    }
    assert sie.accounts["7010"] == "Löner till tjänstemän"
    assert sie.objects[("1", "LivA")] == "Projekt LivA"
    first, second = sie.vouchers
    assert (first.series, first.number, first.date) == ("A", "1", date(2019, 5, 10))
    assert first.text == "Hyra maj, Café Tingshuset"
    assert [(t.account, t.objects, t.amount) for t in first.transactions] == [
        ("5010", [("1", "LivA")], Decimal("8000.00")),
        ("2640", [], Decimal("2000")),
        ("1930", [], Decimal("-10000")),
    ]
    assert (second.series, second.reference) == ("", "3")
    assert sie.fiscal_year_of(second.date) == date(2018, 1, 1)


def test_corrections_rtrans_and_btrans_are_read_as_the_format_says(org_number):
    raw = one_voucher(
        org_number,
        "#BTRANS 4010 {} 500.00",  # removed: not counted
        "#RTRANS 4010 {} 450.00",  # added: followed by the same #TRANS, counted once
        "#TRANS 4010 {} 450.00",
        "#TRANS 1930 {} -450.00",
    )
    (voucher,) = parse(raw).vouchers
    assert [(t.account, t.amount) for t in voucher.transactions] == [
        ("4010", Decimal("450.00")),
        ("1930", Decimal("-450.00")),
    ]


@pytest.mark.parametrize(
    "raw,message",
    [
        (b"", "no #SIETYP"),
        (b"\x00\xff garbage \x1b", "not a SIE record"),
        (b"#FLAGGA 0\r\n#SIETYP 2\r\n", "type 2"),
        (b"#SIETYP 4\r\n#VER A 1 20190101\r\n#TRANS 1930 {} 1\r\n", "not followed by its block"),
        (b"#SIETYP 4\r\n#VER A 1 20190101\r\n{\r\n#TRANS 1930 {} 1\r\n", "not closed"),
        (b"#SIETYP 4\r\n{\r\n", "no #VER comes before"),
        (b"#SIETYP 4\r\n}\r\n", "was not opened"),
        (b'#SIETYP 4\r\n#VER A 1 20190101\r\n{\r\n#TRANS 1930 {} 1 "open\r\n}\r\n', "Line 4"),
        (b"#SIETYP 4\r\n#VER A 1 20190101\r\n{\r\n#TRANS 1930 {1 1\r\n}\r\n", "brace"),
        (b"#SIETYP 4\r\n#VER A 1 20190101\r\n{\r\n#KONTO 1 x\r\n}\r\n", "only #TRANS"),
        (b"#SIETYP 4\r\n#RAR 0 2019-01-01 2019-12-31\r\n", "#RAR needs"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(raw, message):
    with pytest.raises(SieError, match=message):
        parse(raw)


def test_unknown_labels_and_their_broken_quotes_are_skipped():
    sie = parse(b'#SIETYP 4\r\n#PSALDO 0 201901 1930 {} "open\r\n#NEWLABEL x\r\n\x1a')
    assert sie.vouchers == []


def test_bad_fields_mark_their_transaction_or_voucher(org_number):
    raw = sie_text(
        org_number,
        [
            ('#VER A 1 20190231 "Ingen sådan dag"', ["#TRANS 4010 {} 1"]),
            ("#VER A 2 20190601", ["#TRANS 4010 {} 1e9", "#TRANS 40x0 {} 1", "#TRANS 4010 {1} 5"]),
            ('#VER A "" 20190601', ["#TRANS 4010 {} 1"]),
        ],
    ).encode()
    bad_date, bad_fields, no_number = parse(raw).vouchers
    assert "not a date" in bad_date.error
    assert [t.error.split(" ")[1] for t in bad_fields.transactions] == [
        "amount",
        "account",
        "object",
    ]
    assert "no number" in no_number.error


@pytest.mark.parametrize(
    "exact,kronor",
    [("0.50", "1"), ("-0.50", "-1"), ("1234.49", "1234"), ("1234.51", "1235"), ("-0.49", "0")],
)
def test_ore_are_rounded_half_away_from_zero(exact, kronor):
    assert round_to_kronor(Decimal(exact)) == Decimal(kronor)


# --- Fates and the import --------------------------------------------------------------------


def test_every_transaction_gets_its_fate(agreement, rules, org_number, staff_line):
    preview = preview_sie(agreement, rent_and_salary(org_number).encode("cp437"), "maj.se")
    assert not preview.error
    fates = [(r.transaction.account, r.fate, r.reason) for r in preview.rows]
    assert fates == [
        ("5010", Fate.IGNORED, "No account rule covers this account and its objects."),
        ("2640", Fate.IGNORED, "Not a cost account."),
        ("1930", Fate.IGNORED, "Not a cost account."),
        ("7010", Fate.MAPPED, ""),
        ("7510", Fate.MAPPED, ""),
        ("7010", Fate.IGNORED, "No account rule covers this account and its objects."),  # ANNAT
        ("1930", Fate.IGNORED, "Not a cost account."),
    ]
    # One expense for the voucher and the line: 42 000,50 + 13 196,60 = 55 197,10 → 55 197.
    (expense,) = preview.expenses
    assert (expense.budget_line, expense.exact, expense.amount) == (
        staff_line,
        Decimal("55197.10"),
        Decimal("55197"),
    )
    assert preview.can_import


def test_import_books_one_expense_per_voucher_and_line_and_is_idempotent(
    agreement, rules, org_number, staff_user, staff_line
):
    raw = rent_and_salary(org_number).encode("cp437")
    batch = import_sie(agreement=agreement, raw=raw, filename="maj.se", user=staff_user)
    (expense,) = Expense.objects.filter(agreement=agreement)
    assert (expense.date, expense.budget_line, expense.amount) == (
        date(2019, 5, 31),
        staff_line,
        Decimal("55197"),
    )
    assert (expense.description, expense.voucher_reference) == ("Löner maj", "A 2")
    assert expense.import_batch == batch and expense.sie_voucher.number == "2"
    assert expense.history.get().history_user == staff_user
    assert SieVoucher.objects.get().fiscal_year_start == date(2019, 1, 1)

    # The same file twice imports nothing.
    again = preview_sie(agreement, raw, "maj.se")
    assert again.previous_import == batch and not again.can_import
    assert [r.fate for r in again.rows if r.transaction.account == "7510"] == [Fate.DUPLICATE]
    with pytest.raises(NothingToImport):
        import_sie(agreement=agreement, raw=raw, filename="maj.se", user=staff_user)

    # A later export of the same year: only the new voucher.
    later = sie_text(
        org_number,
        [
            (
                '#VER A 2 20190531 "Löner maj"',
                ['#TRANS 7010 {1 "LivA"} 42000.50', "#TRANS 1930 {} -42000.50"],
            ),
            (
                '#VER A 3 20190630 "Löner juni"',
                ['#TRANS 7010 {1 "LivA"} 40000.00', "#TRANS 1930 {} -40000.00"],
            ),
        ],
    ).encode("cp437")
    preview = preview_sie(agreement, later, "juni.se")
    assert [r.fate for r in preview.rows] == [
        Fate.DUPLICATE,
        Fate.IGNORED,  # the bank row
        Fate.MAPPED,
        Fate.IGNORED,
    ]
    assert "already imported" in preview.rows[0].reason
    import_sie(agreement=agreement, raw=later, filename="juni.se", user=staff_user)
    assert sorted(Expense.objects.values_list("amount", flat=True)) == [
        Decimal("40000"),
        Decimal("55197"),
    ]


def test_the_database_refuses_a_voucher_twice(agreement, rules, org_number):
    import_sie(agreement=agreement, raw=rent_and_salary(org_number).encode(), filename="x.se")
    voucher = SieVoucher.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SieVoucher.objects.create(
            agreement=agreement,
            import_batch=voucher.import_batch,
            fiscal_year_start=voucher.fiscal_year_start,
            series=voucher.series,
            number=voucher.number,
            date=voucher.date,
        )


def test_a_credit_reduces_the_line(agreement, rules, org_number, activities_line):
    raw = sie_text(
        org_number,
        [
            ('#VER B 1 20190601 "Studiebesök"', ["#TRANS 5800 {} 3000.00", "#TRANS 1930 {} -3000"]),
            (
                '#VER B 2 20190610 "Kreditnota studiebesök"',
                ["#TRANS 5800 {} -1200.50", "#TRANS 1930 {} 1200.50"],
            ),
        ],
    ).encode()
    import_sie(agreement=agreement, raw=raw, filename="kredit.se")
    amounts = list(Expense.objects.order_by("date").values_list("amount", flat=True))
    assert amounts == [Decimal("3000"), Decimal("-1201")]  # −1 200,50 → −1 201
    figures_total = sum(amounts)
    assert figures_total == Decimal("1799")
    # Typed in, an expense is never negative: only a voucher of the books allows it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.create(
            agreement=agreement,
            budget_line=activities_line,
            date=date(2019, 6, 1),
            amount=Decimal("-1"),
            description="x",
        )


def test_a_voucher_that_nets_to_zero_books_nothing(agreement, rules, org_number):
    raw = one_voucher(org_number, "#TRANS 5800 {} 100", "#TRANS 5900 {} -100")
    preview = preview_sie(agreement, raw, "x.se")
    assert preview.mapped_count == 2 and preview.expenses == [] and not preview.can_import


def test_the_most_specific_rule_wins(agreement, rules, org_number, staff_line):
    other = BudgetLine.objects.create(
        agreement=agreement, category="other", text="Training", amount=Decimal("1000"), order=9
    )
    SieMappingRule.objects.create(
        agreement=agreement, account_from=7600, account_to=7699, budget_line=other
    )
    raw = one_voucher(
        org_number,
        '#TRANS 7610 {1 "LivA"} 100',
        "#TRANS 7610 {} 50",
        "#TRANS 7010 {} 1",
        "#TRANS 1930 {} -151",
    )
    rows = preview_sie(agreement, raw, "x.se").rows
    assert [(r.fate, r.budget_line) for r in rows] == [
        (Fate.MAPPED, staff_line),  # the rule with the object beats the narrower one without
        (Fate.MAPPED, other),
        (Fate.IGNORED, None),  # 7010 without LivA: no rule
        (Fate.IGNORED, None),  # the bank
    ]


def test_an_empty_object_list_and_no_object_list(agreement, rules, org_number):
    raw = one_voucher(org_number, "#TRANS 4010 {} 100", "#TRANS 4010 200", "#TRANS 1930 -300")
    preview = preview_sie(agreement, raw, "x.se")
    assert [r.fate for r in preview.rows] == [Fate.MAPPED, Fate.MAPPED, Fate.IGNORED]
    assert preview.expenses[0].amount == Decimal("300")


def test_a_quoted_text_with_escaped_quotes_becomes_the_description(agreement, rules, org_number):
    raw = one_voucher(
        org_number,
        "#TRANS 4010 {} 100",
        "#TRANS 1930 {} -100",
        ver=r'#VER A 9 20190615 "Bok \"Svenska för alla\""',
    )
    import_sie(agreement=agreement, raw=raw, filename="x.se")
    assert Expense.objects.get().description == 'Bok "Svenska för alla"'


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "cp437"])
def test_any_of_the_three_encodings_imports_the_same(agreement, rules, org_number, encoding):
    raw = one_voucher(
        org_number,
        "#TRANS 4010 {} 100",
        "#TRANS 1930 {} -100",
        ver='#VER A 9 20190615 "Fika på café i Åre"',
    )
    raw = raw.decode("cp437").encode(encoding)
    preview = preview_sie(agreement, raw, "x.se")
    assert preview.sie.encoding == encoding
    assert preview.expenses[0].description == "Fika på café i Åre"


def test_the_wrong_organisation_number_is_refused(agreement, rules, other_agreement):
    other = other_agreement.parties.get(role="idea_driven").organisation
    raw = rent_and_salary(other.org_number).encode()
    preview = preview_sie(agreement, raw, "x.se")
    assert "These are the books of organisation number" in preview.error
    assert preview.rows == [] and not preview.can_import
    with pytest.raises(NothingToImport):
        import_sie(agreement=agreement, raw=raw, filename="x.se")
    missing = preview_sie(agreement, rent_and_salary("").encode(), "x.se")
    assert "no #ORGNR" in missing.error


def test_the_twelve_digit_organisation_number_is_the_same(agreement, rules, org_number):
    raw = rent_and_salary("16" + org_number.replace("-", "")).encode()
    assert not preview_sie(agreement, raw, "x.se").error


def test_one_rejected_transaction_refuses_the_file(agreement, rules, org_number):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 4, 1), end_date=date(2019, 4, 30), reason="x"
    )
    raw = sie_text(
        org_number,
        [
            ("#VER A 1 20190601", ["#TRANS 4010 {} 100", "#TRANS 1930 {} -100"]),  # good
            ("#VER A 2 20190415", ["#TRANS 4010 {} 100", "#TRANS 1930 {} -100"]),  # locked
            ("#VER A 3 20190601", ["#TRANS 4010 {} abc"]),  # garbage amount
            ("#VER A 3 20190602", ["#TRANS 4010 {} 1", "#TRANS 1930 {} -1"]),  # A 3 twice
            ("#VER A 4 20190301", ["#TRANS 4010 {} 100", "#TRANS 1930 {} -100"]),  # before
            ("#VER A 5 20190603", ["#TRANS 4010 {} 100", "#TRANS 1930 {} -10"]),  # edited
        ],
    ).encode()
    preview = preview_sie(agreement, raw, "x.se")
    fates = [(r.voucher.number, r.fate, r.reason) for r in preview.rows]
    assert fates[0][:2] == ("1", Fate.MAPPED)
    assert fates[1][1] == Fate.IGNORED  # the bank row
    assert fates[2][1:] == (Fate.REJECTED, "The date lies in a locked (approved) period.")
    assert fates[4][1] == Fate.REJECTED and "not an amount" in fates[4][2]
    assert fates[5][1] == Fate.REJECTED and "more than once" in fates[5][2]
    assert fates[7][1:] == (Fate.IGNORED, "Dated outside the agreement period.")
    # Both rows of the voucher that does not balance, the bank row too.
    assert [fate[1] for fate in fates[9:]] == [Fate.REJECTED, Fate.REJECTED]
    assert fates[9][2] == (
        "Voucher A 5 does not balance: its rows add up to 90,00\u00a0kr, not 0, so the file "
        "is not as the accounting program wrote it."
    )
    assert not preview.can_import and preview.expenses == []
    with pytest.raises(NothingToImport):
        import_sie(agreement=agreement, raw=raw, filename="x.se")
    assert (
        Expense.objects.count() == SieVoucher.objects.count() == ExpenseImport.objects.count() == 0
    )


def test_a_voucher_in_no_fiscal_year_or_in_the_future_is_rejected(agreement, rules, org_number):
    raw = sie_text(
        org_number,
        [
            ("#VER A 1 20200115", ["#TRANS 4010 {} 100", "#TRANS 1930 {} -100"]),
            ("#VER A 2 20990101", ["#TRANS 4010 {} 1", "#TRANS 1930 {} -1"]),
        ],
        years=(("0", "20190101", "20191231"), ("1", "20200101", "20991231")),
    ).encode()
    # 2020-01-15 is in year 1, so accepted; 2099 lies outside the agreement: ignored.
    rows = preview_sie(agreement, raw, "x.se").rows
    assert [r.fate for r in rows[::2]] == [Fate.MAPPED, Fate.IGNORED]
    no_year = sie_text(
        org_number, [("#VER A 1 20200115", ["#TRANS 4010 {} 100", "#TRANS 1930 {} -100"])]
    ).encode()
    row, _bank = preview_sie(agreement, no_year, "x.se").rows
    assert row.fate == Fate.REJECTED and "none of the file's fiscal years" in row.reason


def test_a_future_voucher_is_rejected(agreement, rules, org_number, settings):
    from unittest import mock

    raw = one_voucher(org_number, "#TRANS 4010 {} 100", "#TRANS 1930 {} -100")
    with mock.patch("finance.sie_import.timezone.localdate", return_value=date(2019, 6, 1)):
        row, _bank = preview_sie(agreement, raw, "x.se").rows
    assert row.fate == Fate.REJECTED and "future" in row.reason


# --- The pages --------------------------------------------------------------------------------


def upload(client, agreement, raw, name="bokslut.se"):
    return client.post(
        reverse("finance:sie_import", args=[agreement.pk]),
        {"file": SimpleUploadedFile(name, raw, content_type="application/octet-stream")},
    )


def confirm(client, agreement, sha):
    return client.post(
        reverse("finance:sie_import_confirm", args=[agreement.pk]), {"sha256": sha}, follow=True
    )


def test_upload_preview_confirm_and_again(staff_client, agreement, rules, org_number):
    raw = rent_and_salary(org_number).encode("cp437")
    response = upload(staff_client, agreement, raw)
    body = response.content.decode()
    assert response.status_code == 200
    assert "PC8 (IBM 437)" in body and "Löner maj" in body and "→ Staff" in body
    assert "5 ignored transactions" in body and "Not a cost account." in body
    # The ignored rows grouped by account and reason, with their count and sum.
    assert response.context["preview"].ignored_by_account() == [
        ("1930", "Företagskonto", "Not a cost account.", 2, "−95\u00a0197,10\u00a0kr"),
        ("2640", "Ingående moms", "Not a cost account.", 1, "2\u00a0000,00\u00a0kr"),
        (
            "5010",
            "Lokalhyra",
            "No account rule covers this account and its objects.",
            1,
            "8\u00a0000,00\u00a0kr",
        ),
        (
            "7010",
            "Löner till tjänstemän",
            "No account rule covers this account and its objects.",
            1,
            "30\u00a0000,00\u00a0kr",
        ),
    ]
    assert "Import 1 expense" in body
    assert Expense.objects.count() == 0  # a preview writes nothing

    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert "1 expenses were imported" in response.content.decode()
    assert Expense.objects.count() == 1

    response = upload(staff_client, agreement, raw)
    assert "already imported" in response.content.decode()
    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert "Nothing new to import" in response.content.decode()
    assert Expense.objects.count() == 1


def test_a_refused_file_shows_why_and_confirm_writes_nothing(staff_client, agreement, rules):
    response = upload(staff_client, agreement, b"garbage")
    assert "not a SIE record" in response.content.decode()
    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert "Nothing was imported" in response.content.decode()
    assert Expense.objects.count() == 0


def test_the_message_is_in_swedish_by_default(staff_client, agreement, settings, org_number):
    settings.LANGUAGE_CODE = "sv"
    response = upload(staff_client, agreement, b"#SIETYP 4\r\n")
    assert "organisationsnummer" in response.content.decode()


def test_a_voucher_edited_by_hand_is_shown_in_swedish_and_nothing_is_imported(
    staff_client, agreement, rules, settings, org_number
):
    settings.LANGUAGE_CODE = "sv"
    raw = one_voucher(org_number, "#TRANS 4010 {} 1000", "#TRANS 1930 {} -100")
    response = upload(staff_client, agreement, raw)
    assert "Verifikation A 7 balanserar inte: raderna summerar till 900,00" in (
        response.content.decode()
    )
    response = confirm(staff_client, agreement, response.context["preview"].sha256)
    assert Expense.objects.count() == ExpenseImport.objects.count() == 0


def test_only_staff_import_and_write_rules_coordinators_read_rules(
    agreement, rules, staff_client, coordinator_client, outsider_client
):
    rule = rules[0]
    for name, args, staff_only in [
        ("sie_import", [agreement.pk], True),
        ("sie_rule_list", [agreement.pk], False),
        ("sie_rule_create", [agreement.pk], True),
        ("sie_rule_edit", [rule.pk], True),
        ("sie_rule_delete", [rule.pk], True),
    ]:
        url = reverse(f"finance:{name}", args=args)
        assert Client().get(url).status_code == 302
        assert outsider_client.get(url).status_code == 404, name
        assert staff_client.get(url).status_code == 200, name
        assert coordinator_client.get(url).status_code == (403 if staff_only else 200), name
    url = reverse("finance:sie_import_confirm", args=[agreement.pk])
    assert coordinator_client.post(url).status_code == 403
    assert outsider_client.post(url).status_code == 404


def test_staff_write_a_rule_and_bad_rules_are_refused(staff_client, agreement, staff_line, rules):
    url = reverse("finance:sie_rule_create", args=[agreement.pk])
    good = {"account_from": "5010", "account_to": "5099", "budget_line": staff_line.pk}
    response = staff_client.post(url, good)
    assert response.status_code == 302
    assert SieMappingRule.objects.filter(account_from=5010, account_to=5099).exists()
    for data, message in [
        (good, "A rule for these accounts already exists."),
        ({**good, "account_from": "1930", "account_to": "1930"}, "greater than or equal to 4000"),
        ({**good, "account_from": "5099", "account_to": "5010"}, "must not be after the last"),
        ({**good, "dimension": "1"}, "Give both the dimension and the object"),
        ({**good, "object_id": "LivA"}, "Give both the dimension and the object"),
    ]:
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), data
    assert SieMappingRule.objects.count() == 4
    list_body = staff_client.get(reverse("finance:sie_rule_list", args=[agreement.pk])).content
    assert "7010–7699" in list_body.decode() and "1: LivA" in list_body.decode()


def test_a_rule_must_point_at_the_agreements_own_line(agreement, other_agreement):
    rule = SieMappingRule(
        agreement=agreement,
        account_from=4000,
        account_to=4999,
        budget_line=other_agreement.budget_lines.first(),
    )
    with pytest.raises(ValidationError, match="same agreement"):
        rule.full_clean()


# --- The command ------------------------------------------------------------------------------


def test_the_command_previews_and_imports_with_confirm(agreement, rules, org_number, tmp_path):
    path = tmp_path / "bokslut.se"
    path.write_bytes(rent_and_salary(org_number).encode("cp437"))
    out = StringIO()
    call_command("import_sie", agreement.pk, path, stdout=out)
    assert "→ Staff" in out.getvalue() and "--confirm" in out.getvalue()
    assert Expense.objects.count() == 0
    call_command("import_sie", agreement.pk, path, "--confirm", stdout=out)
    assert "Imported 1 expenses." in out.getvalue()
    assert Expense.objects.count() == 1
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_sie", agreement.pk, path, "--confirm", stdout=StringIO())
    path.write_bytes(b"garbage")
    with pytest.raises(CommandError, match="not a SIE record"):
        call_command("import_sie", agreement.pk, path, stdout=StringIO())
    with pytest.raises(CommandError, match="No agreement"):
        call_command("import_sie", 999999, path, stdout=StringIO())
