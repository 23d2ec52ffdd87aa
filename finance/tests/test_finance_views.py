"""The money pages: refusals for every view, writes by the right role, history, query counts,
the Excel export and the chart."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finance.charts import cumulative_outcome_chart_svg
from finance.models import Expense, InKindContribution, Payment
from finance.tests.factories import ExpenseFactory, PaymentFactory
from partnership.models import LockedPeriod
from partnership.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def expense(agreement):
    return ExpenseFactory(agreement=agreement, date=date(2019, 6, 1), amount=Decimal("5000"))


@pytest.fixture
def payment(agreement):
    return PaymentFactory(agreement=agreement, date=date(2019, 5, 1), amount=Decimal("250000"))


@pytest.fixture
def civil_hours(agreement):
    return InKindContribution.objects.create(
        agreement=agreement, kind="civil_servant", date=date(2019, 5, 1), hours=Decimal("8")
    )


@pytest.fixture
def volunteer_hours(agreement):
    return InKindContribution.objects.create(
        agreement=agreement, kind="volunteer", date=date(2019, 5, 1), hours=Decimal("3")
    )


# (url name, args builder, roles allowed) for every view.
READ_BOTH = ("staff", "coordinator")
VIEWS = [
    ("budget", lambda a, e, p, c, v: [a.pk], READ_BOTH),
    ("budget_xlsx", lambda a, e, p, c, v: [a.pk], READ_BOTH),
    ("expense_list", lambda a, e, p, c, v: [a.pk], READ_BOTH),
    ("payment_list", lambda a, e, p, c, v: [a.pk], READ_BOTH),
    ("in_kind_list", lambda a, e, p, c, v: [a.pk], READ_BOTH),
    ("expense_create", lambda a, e, p, c, v: [a.pk], ("staff",)),
    ("expense_import", lambda a, e, p, c, v: [a.pk], ("staff",)),
    ("expense_edit", lambda a, e, p, c, v: [e.pk], ("staff",)),
    ("expense_delete", lambda a, e, p, c, v: [e.pk], ("staff",)),
    ("payment_create", lambda a, e, p, c, v: [a.pk], ("coordinator",)),
    ("payment_edit", lambda a, e, p, c, v: [p.pk], ("coordinator",)),
    ("payment_delete", lambda a, e, p, c, v: [p.pk], ("coordinator",)),
    ("in_kind_delete", lambda a, e, p, c, v: [c.pk], ("coordinator",)),
    ("in_kind_delete", lambda a, e, p, c, v: [v.pk], ("staff",)),
]


@pytest.mark.parametrize("name,args,allowed", VIEWS, ids=[v[0] for v in VIEWS])
def test_refusals(
    name,
    args,
    allowed,
    agreement,
    expense,
    payment,
    civil_hours,
    volunteer_hours,
    staff_client,
    coordinator_client,
    outsider_client,
    outsider_coordinator_client,
):
    url = reverse(
        f"finance:{name}", args=args(agreement, expense, payment, civil_hours, volunteer_hours)
    )
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert outsider_client.get(url).status_code == 404
    assert outsider_coordinator_client.get(url).status_code == 404
    for role, client in (("staff", staff_client), ("coordinator", coordinator_client)):
        assert client.get(url).status_code == (200 if role in allowed else 403), role


def test_import_confirm_refusals(agreement, coordinator_client, outsider_client):
    url = reverse("finance:expense_import_confirm", args=[agreement.pk])
    assert Client().post(url).status_code == 302
    assert outsider_client.post(url).status_code == 404
    assert coordinator_client.post(url).status_code == 403
    assert Expense.objects.count() == 0


def test_member_without_role_is_refused(client, agreement, association):
    client.force_login(UserFactory(organisation=association))
    assert client.get(reverse("finance:budget", args=[agreement.pk])).status_code == 403


def test_coordinator_cannot_post_an_expense(coordinator_client, agreement):
    line = agreement.budget_lines.first()
    data = {"date": "2019-06-01", "budget_line": line.pk, "amount": "1", "description": "x"}
    response = coordinator_client.post(reverse("finance:expense_create", args=[agreement.pk]), data)
    assert response.status_code == 403
    assert Expense.objects.count() == 0


def test_staff_cannot_post_a_payment(staff_client, agreement):
    data = {"date": "2019-06-01", "amount": "100"}
    response = staff_client.post(reverse("finance:payment_create", args=[agreement.pk]), data)
    assert response.status_code == 403
    assert Payment.objects.count() == 0


# --- Expenses ----------------------------------------------------------------------------


def test_staff_creates_edits_and_deletes_an_expense_with_history(
    staff_client, staff_user, agreement
):
    line = agreement.budget_lines.get(text="Activities")
    url = reverse("finance:expense_create", args=[agreement.pk])
    data = {
        "date": "2019-06-01",
        "budget_line": line.pk,
        "amount": "1200",
        "description": "Bus tickets",
        "voucher_reference": "V77",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.amount, expense.budget_line, expense.registered_by) == (
        Decimal("1200"),
        line,
        staff_user,
    )
    data["amount"] = "1300"
    staff_client.post(reverse("finance:expense_edit", args=[expense.pk]), data)
    expense.refresh_from_db()
    assert expense.amount == Decimal("1300")
    staff_client.post(reverse("finance:expense_delete", args=[expense.pk]))
    assert not Expense.objects.exists()
    history = Expense.history.filter(id=expense.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert {h.history_user for h in history} == {staff_user}


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"date": "2021-01-01"}, "inside the agreement period"),
        ({"date": "04/01/2019"}, "Enter the date as YYYY-MM-DD"),
        ({"amount": "-5"}, "greater than or equal to 0"),
        ({"amount": "10.50"}, "decimal places"),
        ({"date": "2019-04-10"}, "locked"),
    ],
)
def test_bad_expense_is_refused_with_a_message(staff_client, agreement, changes, message):
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 4, 1), end_date=date(2019, 4, 30), reason="x"
    )
    data = {
        "date": "2019-06-01",
        "budget_line": agreement.budget_lines.first().pk,
        "amount": "100",
        "description": "x",
    } | changes
    response = staff_client.post(reverse("finance:expense_create", args=[agreement.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Expense.objects.count() == 0


def test_budget_line_of_another_agreement_is_refused(staff_client, agreement, other_agreement):
    data = {
        "date": "2019-06-01",
        "budget_line": other_agreement.budget_lines.first().pk,
        "amount": "100",
        "description": "x",
    }
    response = staff_client.post(reverse("finance:expense_create", args=[agreement.pk]), data)
    assert response.status_code == 200 and Expense.objects.count() == 0


def test_locked_expense_cannot_be_moved_or_deleted(staff_client, agreement):
    expense = ExpenseFactory(agreement=agreement, date=date(2019, 4, 10))
    LockedPeriod.objects.create(
        agreement=agreement, start_date=date(2019, 4, 1), end_date=date(2019, 4, 30), reason="x"
    )
    data = {
        "date": "2019-06-01",
        "budget_line": expense.budget_line_id,
        "amount": "100",
        "description": "moved out",
    }
    response = staff_client.post(reverse("finance:expense_edit", args=[expense.pk]), data)
    assert "locked" in response.content.decode()
    staff_client.post(reverse("finance:expense_delete", args=[expense.pk]))
    expense.refresh_from_db()
    assert expense.date == date(2019, 4, 10)


def test_expense_list_filters_and_totals(coordinator_client, agreement):
    staff_line, activities = agreement.budget_lines.order_by("order")
    ExpenseFactory(
        agreement=agreement, budget_line=staff_line, date=date(2019, 5, 1), amount=Decimal("100")
    )
    ExpenseFactory(
        agreement=agreement, budget_line=activities, date=date(2019, 6, 1), amount=Decimal("20")
    )
    ExpenseFactory(
        agreement=agreement, budget_line=activities, date=date(2019, 7, 1), amount=Decimal("3")
    )
    url = reverse("finance:expense_list", args=[agreement.pk])
    assert coordinator_client.get(url).context["total"] == Decimal("123")
    response = coordinator_client.get(url, {"line": activities.pk})
    assert response.context["total"] == Decimal("23")
    response = coordinator_client.get(url, {"start": "2019-06-01", "end": "2019-06-30"})
    assert response.context["total"] == Decimal("20")
    assert "New expense" not in response.content.decode()  # coordinators read only
    response = coordinator_client.get(url, {"start": "2019-07-01", "end": "2019-06-01"})
    assert "must not be before" in response.content.decode()


# --- Payments and in-kind ----------------------------------------------------------------


def test_coordinator_registers_a_payment(coordinator_client, coordinator, agreement):
    data = {"date": "2019-07-01", "amount": "300000", "reference": "Q3"}
    response = coordinator_client.post(reverse("finance:payment_create", args=[agreement.pk]), data)
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.registered_by == coordinator
    assert payment.history.get().history_user == coordinator
    data["amount"] = "0"
    response = coordinator_client.post(reverse("finance:payment_edit", args=[payment.pk]), data)
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.amount == Decimal("300000")


def test_each_side_enters_its_own_in_kind_hours(staff_client, coordinator_client, agreement):
    url = reverse("finance:in_kind_list", args=[agreement.pk])
    staff_client.post(url, {"date": "2019-05-01", "hours": "4"})
    coordinator_client.post(
        url, {"date": "2019-05-02", "hours": "6", "notional_hourly_value": "500"}
    )
    staff_entry = InKindContribution.objects.get(kind="volunteer")
    civil_entry = InKindContribution.objects.get(kind="civil_servant")
    assert staff_entry.party.role == "idea_driven"
    assert civil_entry.party.role == "public"
    # Neither may delete the other side's entry.
    assert (
        staff_client.post(reverse("finance:in_kind_delete", args=[civil_entry.pk])).status_code
        == 403
    )
    assert InKindContribution.objects.count() == 2
    page = staff_client.get(url)
    assert page.context["in_kind"]["civil_servant_hours"] == Decimal("6")
    assert page.context["in_kind"]["notional_value"] == Decimal("3000")


# --- Budget page, Excel, chart ------------------------------------------------------------


def _data(agreement, n):
    lines = list(agreement.budget_lines.all())
    Expense.objects.bulk_create(
        Expense(
            agreement=agreement,
            budget_line=lines[i % 2],
            date=date(2019, 4 + i % 9, 1 + i % 28),
            amount=Decimal("100"),
            description="x",
        )
        for i in range(n)
    )
    Payment.objects.bulk_create(
        Payment(agreement=agreement, date=date(2019, 4 + i % 9, 1), amount=Decimal("1000"))
        for i in range(n)
    )


@pytest.mark.parametrize(
    "name", ["budget", "expense_list", "payment_list", "in_kind_list", "budget_xlsx"]
)
def test_query_count_bounded(name, coordinator_client, agreement, django_assert_max_num_queries):
    url = reverse(f"finance:{name}", args=[agreement.pk])
    _data(agreement, 20)
    with django_assert_max_num_queries(16) as small:
        coordinator_client.get(url)
    _data(agreement, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        coordinator_client.get(url)


def test_budget_page_shows_the_figures(coordinator_client, agreement):
    staff_line, activities = agreement.budget_lines.order_by("order")
    ExpenseFactory(
        agreement=agreement, budget_line=activities, date=date(2019, 9, 1), amount=Decimal("110000")
    )
    PaymentFactory(agreement=agreement, date=date(2019, 4, 15), amount=Decimal("500000"))
    response = coordinator_client.get(reverse("finance:budget", args=[agreement.pk]))
    body = response.content.decode()
    nbsp = "\u00a0"
    assert f"110{nbsp}000{nbsp}kr" in body
    assert f"500{nbsp}000{nbsp}kr" in body  # payments received
    assert f"390{nbsp}000{nbsp}kr" in body  # balance
    assert "<svg" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # no inline script
    # The agreement has ended (2020-12-31): what is left must be repaid.
    assert response.context["figures"].to_repay == Decimal("390000")


def test_budget_page_for_a_date_range(coordinator_client, agreement):
    url = reverse("finance:budget", args=[agreement.pk])
    response = coordinator_client.get(url, {"start": "2020-01-01", "end": "2020-12-31"})
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (date(2020, 1, 1), date(2020, 12, 31))
    # 12 of the agreement's 21 months: 1 000 000 × 12 / 21
    assert figures.budget_total == Decimal("571429")
    assert "share by month of the whole" in response.content.decode() or (
        "andel per månad" in response.content.decode()
    )
    for bad in (
        {"start": "01/01/2020"},
        {"start": "2018-01-01"},
        {"start": "2020-05-01", "end": "2020-01-01"},
    ):
        response = coordinator_client.get(url, bad)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert response.context["figures"].start == agreement.start_date  # falls back


def test_excel_export_reads_back(staff_client, agreement):
    staff_line, activities = agreement.budget_lines.order_by("order")
    ExpenseFactory(
        agreement=agreement, budget_line=staff_line, date=date(2019, 9, 1), amount=Decimal("300000")
    )
    PaymentFactory(agreement=agreement, date=date(2019, 4, 15), amount=Decimal("500000"))
    response = staff_client.get(reverse("finance:budget_xlsx", args=[agreement.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    rows = {row[0].value: row for row in ws.iter_rows() if row[0].value}
    assert rows["Staff"][1].value == 800000
    assert rows["Staff"][2].value == 300000
    assert rows["Staff"][2].number_format == '#,##0 "kr";-#,##0 "kr"'
    assert rows["Total"][1].value == 1000000
    assert rows["Payments received"][1].value == 500000
    assert rows["Balance (payments − outcome)"][1].value == 200000
    assert rows["To repay at the end"][1].value == 200000


def test_chart_is_valid_svg_without_script(agreement):
    staff_line, _ = agreement.budget_lines.order_by("order")
    ExpenseFactory(
        agreement=agreement, budget_line=staff_line, date=date(2019, 5, 3), amount=Decimal("1000")
    )
    ExpenseFactory(
        agreement=agreement, budget_line=staff_line, date=date(2019, 7, 3), amount=Decimal("2000")
    )
    svg = cumulative_outcome_chart_svg(
        agreement, agreement.start_date, agreement.end_date, as_of=date(2019, 8, 15)
    )
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg
    assert "Cumulative outcome" in svg
    # Budget line plus outcome at every month end up to as_of: 0, 1000, 1000, 3000, 3000.
    assert "3\u00a0000\u00a0kr" in svg


def test_chart_renders_in_weasyprint(agreement):
    weasyprint = pytest.importorskip("weasyprint")
    svg = cumulative_outcome_chart_svg(agreement)
    pdf = weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    "name,data",
    [
        ("expense_create", {"budget_line": None, "amount": "100", "description": "Taxi"}),
        ("payment_create", {"amount": "100"}),
    ],
)
def test_money_dated_after_today_is_refused(
    staff_client, coordinator_client, agreement, name, data
):
    today = timezone.localdate()
    type(agreement).objects.filter(pk=agreement.pk).update(end_date=today + timedelta(days=365))
    if "budget_line" in data:
        data = data | {"budget_line": agreement.budget_lines.first().pk}
    client = staff_client if name.startswith("expense") else coordinator_client
    url = reverse(f"finance:{name}", args=[agreement.pk])
    tomorrow = {"date": (today + timedelta(days=1)).isoformat()}
    response = client.post(url, data | tomorrow)
    assert response.status_code == 200
    assert "The date cannot be in the future." in response.content.decode()
    assert not Expense.objects.exists() and not Payment.objects.exists()
    assert client.post(url, data | {"date": today.isoformat()}).status_code == 302


def test_budget_page_shows_the_cumulative_basis_beside_a_part_of_the_agreement(
    coordinator_client, agreement, english
):
    staff, _activities = agreement.budget_lines.order_by("order")
    ExpenseFactory(agreement=agreement, budget_line=staff, date=date(2019, 5, 1), amount=50000)
    ExpenseFactory(agreement=agreement, budget_line=staff, date=date(2019, 10, 1), amount=20000)
    url = reverse("finance:budget", args=[agreement.pk])
    page = coordinator_client.get(url, {"start": "2019-09-01", "end": "2019-12-31"})
    figures, cumulative = page.context["figures"], page.context["cumulative"]
    assert (figures.lines[0].budget, figures.lines[0].outcome) == (152381, 20000)  # 4/21
    assert (cumulative.start, cumulative.end) == (date(2019, 4, 1), date(2019, 12, 31))
    assert cumulative.rows()[0][1:] == (342857, Decimal(70000) / 342857)  # 9/21, May too
    body = page.content.decode()
    assert "Since the agreement started (cumulative): 2019-04-01 – 2019-12-31" in body
    assert "342\u00a0857\u00a0kr" in body and "70\u00a0000\u00a0kr" in body
    # For the whole agreement there is one basis only.
    assert coordinator_client.get(url).context["cumulative"] is None


def test_the_budget_total_row_is_complete_as_in_the_excel_file(coordinator_client, agreement):
    """Budget, outcome, share used, forecast and deviation of the whole, on the page and in
    the Excel file alike."""
    staff_line, activities = agreement.budget_lines.order_by("order")
    ExpenseFactory(
        agreement=agreement, budget_line=activities, date=date(2019, 9, 1), amount=Decimal("110000")
    )
    response = coordinator_client.get(reverse("finance:budget", args=[agreement.pk]))
    total_row = re.search(r"<tfoot>.*?</tfoot>", response.content.decode(), re.DOTALL).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>", total_row)]
    nbsp = "\u00a0"
    # The agreement has ended: forecast = outcome; deviation 110 000 − 1 000 000 = −890 000.
    assert cells[:5] == [
        f"1{nbsp}000{nbsp}000{nbsp}kr",
        f"110{nbsp}000{nbsp}kr",
        f"11{nbsp}%",
        f"110{nbsp}000{nbsp}kr",
        f"−890{nbsp}000{nbsp}kr (−89{nbsp}%)",
    ]
    ws = load_workbook(
        BytesIO(coordinator_client.get(reverse("finance:budget_xlsx", args=[agreement.pk])).content)
    ).active
    total = next(row for row in ws.iter_rows() if row[0].value in ("Totalt", "Total"))
    assert [c.value for c in total[1:7]] == [1000000, 110000, 0.11, 110000, -890000, -0.89]
