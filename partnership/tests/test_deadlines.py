"""Deadlines that hold: each lies in the agreement, interim reports before the final one, and
every change of the agreement's end (a service, Django admin, a bulk update) moves the final
report's deadline or is refused while another deadline would fall outside."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from partnership.models import Agreement, ReportingDeadline
from partnership.services import change_period
from partnership.tests.test_admin import _inline_post_data

pytestmark = pytest.mark.django_db


def _final(agreement):
    return agreement.deadlines.get(kind="final")


def _close_out(agreement):
    return agreement.deadlines.get(kind="close_out")


def _interim(agreement, **fields):
    values = {
        "agreement": agreement,
        "kind": "interim",
        "period_start": date(2019, 9, 1),
        "period_end": date(2019, 12, 31),
        "due_date": date(2019, 12, 31),
    }
    return ReportingDeadline(**(values | fields))


def test_an_interim_report_is_due_before_the_final_report(agreement, english):
    _interim(agreement).full_clean()
    # The factory's final report is due a month before the end (2020-11-30).
    with pytest.raises(ValidationError) as raised:
        _interim(agreement, period_end=date(2020, 11, 30), due_date=date(2020, 11, 30)).full_clean()
    assert "before the final report (2020-11-30)" in str(raised.value)


def test_one_final_report_due_after_every_interim_report(agreement, english):
    second = ReportingDeadline(
        agreement=agreement,
        kind="final",
        period_start=agreement.start_date,
        period_end=agreement.end_date,
        due_date=agreement.end_date,
    )
    with pytest.raises(ValidationError) as raised:
        second.full_clean()
    assert "has a final report already" in str(raised.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()  # the database refuses it too

    final = _final(agreement)
    final.relative_to_end = False
    final.due_date = date(2019, 8, 1)  # before the interim report due 2019-08-31
    with pytest.raises(ValidationError) as raised:
        final.full_clean()
    assert "after every interim report (one is due 2019-08-31)" in str(raised.value)


def test_extending_through_the_service_moves_the_final_deadline(agreement):
    change_period(agreement=agreement, end_date=date(2021, 6, 30))
    final = _final(agreement)
    assert (final.period_end, final.due_date) == (date(2021, 6, 30), date(2021, 5, 30))
    # The close-out of the money covers the whole agreement and is due after its end.
    close_out = _close_out(agreement)
    assert (close_out.period_start, close_out.period_end, close_out.due_date) == (
        agreement.start_date,
        date(2021, 6, 30),
        date(2021, 8, 30),
    )
    change_period(agreement=agreement, final_report_months_before_end=2)
    assert _final(agreement).due_date == date(2021, 4, 30)
    change_period(agreement=agreement, close_out_months_after_end=3)
    assert _close_out(agreement).due_date == date(2021, 9, 30)


def test_every_agreement_has_one_close_out_due_after_its_end(agreement, english):
    assert _close_out(agreement).due_date == date(2021, 2, 28)
    second = ReportingDeadline(agreement=agreement, kind="close_out")
    with pytest.raises(ValidationError) as raised:
        second.full_clean()
    assert "has a financial close-out already" in str(raised.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    # The database refuses a close-out due inside the agreement.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingDeadline.objects.filter(kind="close_out").update(due_date=date(2020, 12, 1))


def test_shortening_past_an_interim_deadline_is_refused_and_changes_nothing(agreement, english):
    with pytest.raises(ValidationError) as raised:
        change_period(agreement=agreement, end_date=date(2019, 8, 15))
    assert "Interim report 2019-08-31" in str(raised.value)
    agreement.refresh_from_db()
    assert agreement.end_date == date(2020, 12, 31)
    assert _final(agreement).due_date == date(2020, 11, 30)


def test_a_bulk_update_moves_the_final_deadline_or_is_refused(agreement, other_agreement):
    Agreement.objects.filter(pk__in=[agreement.pk, other_agreement.pk]).update(
        end_date=date(2021, 3, 31)
    )
    assert {_final(a).due_date for a in (agreement, other_agreement)} == {date(2021, 2, 28)}
    assert {_close_out(a).due_date for a in (agreement, other_agreement)} == {date(2021, 5, 31)}
    with pytest.raises(ValidationError):
        Agreement.objects.filter(pk=agreement.pk).update(end_date=date(2019, 6, 30))
    agreement.refresh_from_db()
    assert agreement.end_date == date(2021, 3, 31)
    # Other fields are still updated in bulk.
    Agreement.objects.filter(pk=agreement.pk).update(case_number="KS 2019/42")
    agreement.refresh_from_db()
    assert agreement.case_number == "KS 2019/42"


def test_admin_moves_the_final_deadline_with_the_end_and_refuses_a_bad_shortening(
    admin_client, agreement
):
    url = reverse("admin:partnership_agreement_change", args=[agreement.pk])
    data = _inline_post_data(agreement)
    data["end_date"] = "2021-06-30"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert _final(agreement).due_date == date(2021, 5, 30)
    assert _close_out(agreement).due_date == date(2021, 8, 30)

    agreement.refresh_from_db()
    data = _inline_post_data(agreement)
    data["end_date"] = "2019-08-15"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Interim report 2019-08-31" in response.content.decode() or (
        "Delredovisning 2019-08-31" in response.content.decode()
    )
    agreement.refresh_from_db()
    assert agreement.end_date == date(2021, 6, 30)


def test_a_bulk_change_the_rules_cannot_follow_is_refused(agreement):
    agreement.end_date = date(2021, 1, 31)
    with pytest.raises(TypeError), transaction.atomic():
        Agreement.objects.bulk_update([agreement], ["end_date"])
    with pytest.raises(TypeError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(end_date=F("end_date"))
    agreement.refresh_from_db()
    assert agreement.end_date == date(2020, 12, 31)


def test_a_relative_deadline_without_an_agreement_is_a_form_error_in_admin(admin_client, db):
    """Found by the fuzz test: the rule asked for the agreement before the form had said that
    one is required (a server error)."""
    from django.urls import reverse

    response = admin_client.post(
        reverse("admin:partnership_reportingdeadline_add"),
        {"agreement": "", "kind": "final", "relative_to_end": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["agreement"]
