"""The expense and payment lists export CSV and Excel, as the session and activity lists do:
the expenses filtered as the list is, formulas neutralised, access as the list."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from finance.tests.factories import ExpenseFactory, PaymentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


@pytest.fixture
def expenses(agreement):
    staff, activities = agreement.budget_lines.order_by("order", "pk")
    return [
        ExpenseFactory(
            agreement=agreement,
            budget_line=staff,
            date=date(2019, 5, 31),
            amount=Decimal("42000"),
            description="Löner maj",
            voucher_reference="A 2",
        ),
        ExpenseFactory(
            agreement=agreement,
            budget_line=activities,
            date=date(2019, 6, 10),
            amount=Decimal("1500"),
            description='=HYPERLINK("http://evil.example")',
            voucher_reference="+A 3",
        ),
    ]


def test_the_expense_list_exports_csv_and_excel_filtered(staff_client, agreement, expenses):
    url = reverse("finance:expense_export", args=[agreement.pk, "csv"])
    response = staff_client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert (
        "attachment" in response["Content-Disposition"]
        and ".csv" in response["Content-Disposition"]
    )
    rows = csv_rows(response)
    assert rows[0] == ["Date", "Budget line", "Description", "Voucher", "Amount (kr)"]
    assert rows[1] == ["2019-05-31", "Staff", "Löner maj", "A 2", "42000"]
    # User text never runs as a formula.
    assert rows[2][2:4] == ['\'=HYPERLINK("http://evil.example")', "'+A 3"]

    # The list's filter applies: only June.
    filtered = staff_client.get(url, {"start": "2019-06-01"})
    assert [r[0] for r in csv_rows(filtered)[1:]] == ["2019-06-10"]

    response = staff_client.get(reverse("finance:expense_export", args=[agreement.pk, "xlsx"]))
    rows, ws = xlsx_rows(response)
    assert rows[1][1:] == ["Staff", "Löner maj", "A 2", 42000]
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]

    page = staff_client.get(reverse("finance:expense_list", args=[agreement.pk]), {"line": ""})
    assert reverse("finance:expense_export", args=[agreement.pk, "xlsx"]) in page.content.decode()


def test_the_payment_list_exports_csv_and_excel(coordinator_client, agreement):
    PaymentFactory(
        agreement=agreement, date=date(2019, 4, 1), amount=Decimal("250000"), reference="2019-Q2"
    )
    PaymentFactory(agreement=agreement, date=date(2019, 7, 1), amount=Decimal("1"), note="@x")
    rows = csv_rows(
        coordinator_client.get(reverse("finance:payment_export", args=[agreement.pk, "csv"]))
    )
    assert rows == [
        ["Date", "Reference", "Note", "Amount (kr)"],
        ["2019-04-01", "2019-Q2", "", "250000"],
        ["2019-07-01", "", "'@x", "1"],
    ]
    rows, _ws = xlsx_rows(
        coordinator_client.get(reverse("finance:payment_export", args=[agreement.pk, "xlsx"]))
    )
    assert rows[1][1:] == ["2019-Q2", None, 250000]
    page = coordinator_client.get(reverse("finance:payment_list", args=[agreement.pk]))
    assert reverse("finance:payment_export", args=[agreement.pk, "csv"]) in page.content.decode()


@pytest.mark.parametrize("name", ["expense_export", "payment_export"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exports_are_for_the_agreements_parties_only(
    name, kind, agreement, expenses, staff_client, coordinator_client, outsider_client
):
    url = reverse(f"finance:{name}", args=[agreement.pk, kind])
    assert Client().get(url).status_code == 302
    assert outsider_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 200
    assert coordinator_client.get(url).status_code == 200
