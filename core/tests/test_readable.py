"""Stored values as a reader reads them (core.readable), for the histories."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from core.readable import readable_value, related_rows
from finance.models import Expense
from reporting.models import Report
from visits.models import Session, Venue


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def field(model, name):
    return model._meta.get_field(name)


def test_choices_show_their_label():
    assert readable_value(field(Report, "status"), "approved") == "Godkänd"


def test_money_is_kronor_and_hours_have_a_decimal_comma():
    assert readable_value(field(Expense, "amount"), Decimal("1234567")) == "1\xa0234\xa0567\xa0kr"
    assert readable_value(field(Session, "volunteer_hours"), Decimal("12.5")) == "12,5"


def test_dates_times_and_timestamps_in_local_time():
    assert readable_value(field(Expense, "date"), date(2019, 5, 3)) == "2019-05-03"
    assert readable_value(field(Session, "start_time"), time(15, 0)) == "15:00"
    winter = datetime(2026, 12, 1, 8, 19, 31, 59985, tzinfo=UTC)
    assert readable_value(field(Report, "updated_at"), winter) == "2026-12-01 09:19"


def test_empty_values_and_booleans():
    assert readable_value(field(Session, "note"), "") == "–"
    assert readable_value(field(Venue, "is_active"), True) == "ja"
    assert readable_value(field(Venue, "is_active"), False) == "nej"


@pytest.mark.django_db
def test_related_rows_by_name_and_a_deleted_one_by_its_id(staff_user):
    staff_user.first_name, staff_user.last_name = "Sara", "Personal"
    staff_user.save()
    created_by = field(Session, "created_by")
    related = related_rows([(created_by, staff_user.pk), (created_by, 999_999)])
    assert readable_value(created_by, staff_user.pk, related) == "Sara Personal"
    assert readable_value(created_by, 999_999, related) == "#999999"
    # A user without a name reads as their username.
    nameless = get_user_model().objects.create(username="kim")
    assert readable_value(created_by, nameless.pk, related_rows([(created_by, nameless.pk)])) == (
        "kim"
    )
