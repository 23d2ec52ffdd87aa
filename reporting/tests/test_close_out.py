"""The financial close-out after the agreement has ended: the money of the whole agreement
against the database, the parties' decision on unused funds or an overspend, the repayment it
records, the lock over all money, and the PDF read back. The factory's agreement runs
2019-04-01 – 2020-12-31 (ended: today is after it) with the lines Staff 800 000 kr and
Activities 200 000 kr."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from finance.budget import budget_figures
from finance.models import Expense, Payment, Repayment
from partnership.services import assert_date_writable, change_period
from reporting import services
from reporting.bundle import audit_bundle
from reporting.figures import report_figures
from reporting.models import FundsDecision, Report
from reporting.pdf import render_report_pdf
from reporting.tests.factories import write_report

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def _spend(agreement, *, staff, activities, paid):
    staff_line, activities_line = agreement.budget_lines.order_by("order")
    for line, total, day in (
        (staff_line, staff, date(2019, 6, 3)),
        (activities_line, activities, date(2020, 12, 30)),
    ):
        # Two expenses a line, one in each year, so the sum is the database's to make.
        first = Decimal(total) // 2
        Expense.objects.create(
            agreement=agreement,
            budget_line=line,
            date=date(2019, 5, 2),
            amount=first,
            description="x",
        )
        Expense.objects.create(
            agreement=agreement,
            budget_line=line,
            date=day,
            amount=Decimal(total) - first,
            description="y",
        )
    Payment.objects.create(
        agreement=agreement, date=date(2019, 4, 15), amount=Decimal(paid) - 100000
    )
    Payment.objects.create(agreement=agreement, date=date(2020, 6, 15), amount=Decimal("100000"))


def _close_out(agreement) -> Report:
    return Report.objects.get(agreement=agreement, deadline__kind="close_out")


def _database_money(agreement):
    outcome = {
        row["budget_line__text"]: int(row["s"])
        for row in Expense.objects.filter(agreement=agreement)
        .values("budget_line__text")
        .annotate(s=Sum("amount"))
    }
    paid = int(Payment.objects.filter(agreement=agreement).aggregate(s=Sum("amount"))["s"])
    return outcome, paid


def test_underspend_figures_match_the_database_the_decision_is_needed_and_approval_records_the_repayment(
    agreement, staff_user, coordinator, english
):
    _spend(agreement, staff=780000, activities=87245, paid=1000000)
    report = _close_out(agreement)
    assert report.deadline.period_start == agreement.start_date
    assert report.deadline.due_date == date(2021, 2, 28)

    money = report_figures(report)["close_out"]
    outcome, paid = _database_money(agreement)
    assert {line["text"]: line["outcome"] for line in money["lines"]} == outcome
    assert money["outcome_total"] == sum(outcome.values()) == 867245
    assert money["payments_total"] == paid == 1000000
    assert (money["unused_funds"], money["overspend"]) == (paid - 867245, 0) == (132755, 0)
    # Activities spent 44 % of their budget: flagged; staff 97.5 %: not.
    assert [line["text"] for line in money["lines"] if line["flagged"]] == ["Activities"]

    # Without the parties' decision the close-out is not submitted.
    services.update_narrative(report=report, data={"summary": "The money of the agreement."})
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report=report, user=staff_user, language="en")
    message = " ".join(refused.value.messages)
    assert "132\xa0755\xa0kr was paid and not spent" in message
    assert "Activities" in message  # its deviation needs a reason too
    assert not report.versions.exists()

    # More than the unused funds cannot be repaid.
    decision = {
        "funds_decision": FundsDecision.REPAY,
        "repayment_amount": Decimal("140000"),
        "repayment_date": date(2021, 2, 15),
    }
    write_report(report, "The money of the agreement.", **decision)
    with pytest.raises(ValidationError, match="more than the unused funds"):
        services.submit_report(report=report, user=staff_user, language="en")

    decision["repayment_amount"] = Decimal("132755")
    write_report(report, "The money of the agreement.", **decision)
    version = services.submit_report(report=report, user=staff_user, language="en")
    text = _text(version.pdf_bytes())
    assert "FINANCIAL CLOSE-OUT" in text  # the heading, in capitals
    assert "867 245 kr" in text and "1 000 000 kr" in text
    assert "Unused funds (paid and not spent) 132 755 kr" in text
    assert "Repay the unused funds: 132 755 kr, repaid 2021-02-15." in text
    assert "Why Activities departs from its budget." in text
    assert not Repayment.objects.exists()  # recorded by the approval, not the submission

    services.approve_report(report=report, user=coordinator)
    repayment = Repayment.objects.get(agreement=agreement)
    assert (repayment.date, repayment.amount) == (date(2021, 2, 15), Decimal("132755"))
    report.refresh_from_db()
    assert report.repayment == repayment
    # The whole agreement is locked: no expense, payment or in-kind hour can be added to it.
    lock = report.locked_period
    assert (lock.start_date, lock.end_date) == (agreement.start_date, agreement.end_date)
    with pytest.raises(ValidationError, match="locked"):
        assert_date_writable(agreement=agreement, day=date(2020, 12, 31))
    # The live budget figures count the repayment: nothing left to repay.
    live = budget_figures(agreement)
    assert (live.repaid_total, live.balance, live.to_repay) == (Decimal("132755"), 0, 0)

    # Reopening takes the repayment back with the lock; approving again records it anew.
    services.reopen_report(report=report, user=coordinator, comment="Wrong date.")
    assert not Repayment.objects.exists()
    assert budget_figures(agreement).to_repay == Decimal("132755")


def test_overspend_needs_the_decision_on_it_and_is_read_back_from_the_pdf(
    agreement, staff_user, coordinator, english
):
    _spend(agreement, staff=900000, activities=250000, paid=1000000)
    report = _close_out(agreement)
    money = report_figures(report)["close_out"]
    outcome, paid = _database_money(agreement)
    assert money["overspend"] == sum(outcome.values()) - paid == 150000
    assert money["unused_funds"] == 0

    # Repaying is no decision on an overspend.
    write_report(
        report,
        "Spent more than paid.",
        funds_decision=FundsDecision.REPAY,
        repayment_amount=Decimal("1"),
        repayment_date=date(2021, 2, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report=report, user=staff_user, language="en")
    assert "150\xa0000\xa0kr more was spent than was paid" in " ".join(refused.value.messages)
    # The decision to cover it needs its record.
    with pytest.raises(ValidationError, match="Write down the decision"):
        write_report(
            report,
            "Spent more than paid.",
            funds_decision=FundsDecision.OWN_FUNDS,
            repayment_amount=None,
            repayment_date=None,
        )
    write_report(
        report,
        "Spent more than paid.",
        funds_decision=FundsDecision.OWN_FUNDS,
        funds_decision_text="Dialogue meeting 2021-01-20, § 4: the association covers it.",
        repayment_amount=None,
        repayment_date=None,
    )
    version = services.submit_report(report=report, user=staff_user, language="en")
    text = _text(version.pdf_bytes())
    assert "Overspend (spent beyond the payments) 150 000 kr" in text
    assert "1 150 000 kr" in text
    assert "The idea-driven party covers the overspend" in text
    assert "Dialogue meeting 2021-01-20, § 4" in text
    services.approve_report(report=report, user=coordinator)
    assert not Repayment.objects.exists()


def test_no_close_out_before_the_end_and_the_final_report_forecasts_what_is_left(
    agreement, staff_user, english
):
    agreement = change_period(agreement=agreement, end_date=date(2027, 6, 30))
    _spend(agreement, staff=100000, activities=10000, paid=1000000)
    report = _close_out(agreement)
    assert report.deadline.due_date == date(2027, 8, 30)
    write_report(report, "Too early.")
    with pytest.raises(ValidationError, match=r"once the agreement has ended \(2027-06-30\)"):
        services.submit_report(report=report, user=staff_user, language="en")

    final = Report.objects.get(agreement=agreement, deadline__kind="final")
    money = report_figures(final)["budget"]
    live = budget_figures(agreement)
    # Before the end, nothing is "to repay" yet; the forecast is what the current rate leaves.
    assert money["to_repay"] == 0
    assert money["to_repay_forecast"] == max(1000000 - int(live.forecast_total), 0) > 0


def test_staff_record_the_decision_on_the_close_out_page(staff_client, agreement):
    _spend(agreement, staff=780000, activities=190000, paid=1000000)
    report = _close_out(agreement)
    detail = staff_client.get(reverse("reporting:report_detail", args=[report.pk]))
    page = detail.content.decode()
    assert "Slutredovisning av medel" in page
    assert "Outnyttjade medel (utbetalt och inte använt)" in page and "30\xa0000\xa0kr" in page
    edit = reverse("reporting:report_edit", args=[report.pk])
    form = staff_client.get(edit).content.decode()
    assert 'name="funds_decision"' in form and 'name="repayment_date"' in form
    assert 'name="effects"' not in form  # a close-out is no activity report
    # A US-style date is refused with a message, and nothing is saved.
    data = {
        "summary": "Pengarna.",
        "funds_decision": "repay",
        "repayment_amount": "30000",
        "repayment_date": "02/15/2021",
    }
    response = staff_client.post(edit, data)
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in response.content.decode()
    report.refresh_from_db()
    assert report.funds_decision == "" and report.summary == ""
    response = staff_client.post(edit, data | {"repayment_date": "2021-02-15"})
    assert response.status_code == 302
    staff_client.post(reverse("reporting:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.versions.get().narrative["repayment_amount"] == 30000


def test_the_final_report_after_the_end_shows_what_is_to_repay_from_the_database(
    agreement, staff_user, english
):
    _spend(agreement, staff=780000, activities=87245, paid=1000000)
    final = Report.objects.get(agreement=agreement, deadline__kind="final")
    outcome, paid = _database_money(agreement)
    money = report_figures(final)["budget"]
    assert money["outcome_total"] == sum(outcome.values())
    assert money["to_repay"] == paid - sum(outcome.values()) == 132755
    text = _text(render_report_pdf(final, "en"))
    assert "To repay (payments received but not spent) 132 755 kr" in text
    assert "settled in the financial close-out" in text


def test_the_approved_close_out_is_in_the_auditor_bundle(agreement, staff_user, coordinator):
    _spend(agreement, staff=800000, activities=200000, paid=1000000)  # nothing left
    report = _close_out(agreement)
    write_report(report, "On budget.")
    version = services.submit_report(report=report, user=staff_user)
    services.approve_report(report=report, user=coordinator)
    with zipfile.ZipFile(io.BytesIO(audit_bundle(agreement))) as bundle:
        [name] = [n for n in bundle.namelist() if n.endswith(".pdf")]
        assert name.startswith("rapporter/2021-02-28_Slutredovisning_av_medel_version_1")
        assert bundle.read(name) == version.pdf_bytes()
        assert f"{version.sha256}  {name}" in bundle.read("SHA256SUMS").decode()
