import re
from decimal import Decimal

import pytest

from core.formatting import NBSP, format_hours, format_number


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("12.5"), "12,5"),
        (Decimal("12.0"), "12"),
        (12, "12"),
        (Decimal("0.5"), "0,5"),
        (Decimal("1234.5"), f"1{NBSP}234,5"),
        (Decimal("0.04"), "0"),
        (Decimal("2.96"), "3"),
        (None, "–"),
    ],
)
def test_hours_are_shown_to_the_tenth(value, shown):
    assert format_hours(value) == shown


def test_numbers_are_whole_with_grouped_thousands():
    assert format_number(Decimal("2644000")) == f"2{NBSP}644{NBSP}000"
    assert format_number(Decimal("12.5")) == "13"
    assert format_number(0) == "0" and format_number(1234567) == f"1{NBSP}234{NBSP}567"
    assert (
        format_number(-1500) == f"−1{NBSP}500"
        and format_number(Decimal("-1500.4")) == f"−1{NBSP}500"
    )
    assert format_number(2.5) == "3" and format_number(None) == "–"


def test_the_sessions_list_shows_half_hours(staff_client, agreement):
    from datetime import date

    from django.urls import reverse

    from visits.tests.factories import SessionFactory

    SessionFactory(agreement=agreement, date=date(2019, 5, 6), volunteer_hours=Decimal("12.5"))
    SessionFactory(agreement=agreement, date=date(2019, 5, 7), volunteer_hours=Decimal("3"))
    html = staff_client.get(reverse("visits:session_list", args=[agreement.pk])).content.decode()
    assert re.search(r'<td class="num"[^>]*>12,5</td>', html) and re.search(
        r'<td class="num"[^>]*>3</td>', html
    )
    assert '<dd class="fs-5 mb-0">15,5</dd>' in html  # the total of the list


def test_percent_filter_signs():
    from core.templatetags.iop import percent

    assert percent(Decimal("-0.0123")) == "\u22121\u00a0%"
    assert percent(Decimal("-0.0035")) == "0\u00a0%"  # never "-0 %"
    assert percent(Decimal("0.456")) == "46\u00a0%"
