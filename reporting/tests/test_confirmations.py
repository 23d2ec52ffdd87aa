"""Submitting freezes a version and approving locks a period: neither happens in one tap.
The report page links to a second step that says what will happen, and only its form (a
plain POST, no JavaScript) does it. Returning and reopening say what they do too."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import FundsDecision, Report
from reporting.tests.factories import write_report

from .test_close_out import _close_out, _spend

pytestmark = pytest.mark.django_db


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _post_forms(response):
    """(action, button texts) of the page's POST forms inside <main>."""
    main = re.search(r"<main.*?</main>", response.content.decode(), re.DOTALL).group(0)
    forms = []
    for attrs, body in re.findall(r"<form([^>]*)>(.*?)</form>", main, re.DOTALL):
        if 'method="post"' in attrs:
            action = re.search(r'action="([^"]*)"', attrs)
            buttons = [
                re.sub(r"<[^>]+>", "", b).strip()
                for b in re.findall(r"<button[^>]*>(.*?)</button>", body, re.DOTALL)
            ]
            forms.append((action.group(1) if action else "", buttons))
    return forms


def test_submitting_takes_a_second_step_that_says_the_version_is_frozen(
    staff_client, logged, report, fake_pdf
):
    write_report(report, "We opened the café.")
    detail = staff_client.get(reverse("reporting:report_detail", args=[report.pk]))
    submit_url = reverse("reporting:report_submit", args=[report.pk])
    # The report page has no form that submits: a link leads to the second step.
    assert not any(action == submit_url for action, _ in _post_forms(detail))
    assert f'href="{submit_url}"' in detail.content.decode()

    step = staff_client.get(submit_url)
    assert step.status_code == 200
    text = _text(step)
    assert "Lämna in rapporten?" in text
    assert "Versionen fryses och kan inte ändras" in text and "version 1" in text
    # Its form posts to its own address (no action attribute) with one button.
    assert _post_forms(step) == [("", ["Ja, lämna in"])]
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and not report.versions.exists()

    response = staff_client.post(submit_url, follow=True)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.versions.count() == 1
    assert "Rapporten lämnades in" in _text(response)


def test_the_second_step_says_what_is_missing_and_offers_no_submit(staff_client, report):
    step = staff_client.get(reverse("reporting:report_submit", args=[report.pk]))
    assert "Skriv en sammanfattning innan du lämnar in rapporten." in _text(step)
    assert _post_forms(step) == [("", [])]  # only the Cancel link


def test_approving_takes_a_second_step_that_says_the_period_is_locked(
    coordinator_client, logged, report, staff_user, fake_pdf
):
    write_report(report, "We opened the café.")
    version = services.submit_report(report=report, user=staff_user)
    approve_url = reverse("reporting:report_approve", args=[report.pk])
    detail = coordinator_client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert not any(action == approve_url for action, _ in _post_forms(detail))

    step = coordinator_client.get(approve_url)
    text = _text(step)
    assert "Godkänna rapporten?" in text
    locked_until = min(report.period_end, timezone.localdate(version.submitted_at))
    assert "Perioden låses: tillfällen, besöksantal, insatser" in text
    assert f"{report.period_start.isoformat()} – {locked_until.isoformat()}" in text
    assert _post_forms(step) == [("", ["Ja, godkänn"])]
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.locked_period is None

    coordinator_client.post(approve_url)
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.locked_period is not None


def test_approving_a_close_out_says_which_repayment_it_records(
    agreement, staff_user, coordinator_client, fake_pdf
):
    _spend(agreement, staff=780000, activities=87245, paid=1000000)
    close_out = _close_out(agreement)
    write_report(
        close_out,
        "The money of the agreement.",
        funds_decision=FundsDecision.REPAY,
        repayment_amount=Decimal("132755"),
        repayment_date=date(2021, 2, 15),
    )
    services.submit_report(report=close_out, user=staff_user)
    text = _text(coordinator_client.get(reverse("reporting:report_approve", args=[close_out.pk])))
    assert "Godkänna slutredovisningen av medel?" in text
    assert "Återbetalningen på 132 755 kr den 2021-02-15 registreras" in text.replace("\xa0", " ")
    assert f"{agreement.start_date.isoformat()} – {agreement.end_date.isoformat()}" in text


def test_the_second_step_of_an_action_that_no_longer_applies_goes_back_to_the_report(
    staff_client, coordinator_client, report
):
    response = coordinator_client.get(reverse("reporting:report_approve", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_returning_and_reopening_say_what_they_do(
    coordinator_client, coordinator, logged, report, staff_user, fake_pdf
):
    write_report(report, "We opened the café.")
    services.submit_report(report=report, user=staff_user)
    text = _text(coordinator_client.get(reverse("reporting:report_return", args=[report.pk])))
    assert "Rapporten går tillbaka till personalen med din kommentar" in text
    assert "Inget låses." in text

    services.approve_report(report=report, user=coordinator)
    lock = Report.objects.get(pk=report.pk).locked_period
    text = _text(coordinator_client.get(reverse("reporting:report_reopen", args=[report.pk])))
    assert (
        f"Låsningen tas bort: uppgifterna daterade {lock.start_date.isoformat()} – "
        f"{lock.end_date.isoformat()} kan rättas igen." in text
    )
