import pytest
from django.core.exceptions import ValidationError
from stdnum.se import orgnr

from partnership.tests.factories import org_number
from partnership.validators import normalise_org_number


@pytest.mark.parametrize(
    "value, expected",
    [
        ("802496-6080", "802496-6080"),  # Hej främling!
        ("212000-2528", "212000-2528"),  # Östersunds kommun
        ("8024966080", "802496-6080"),  # without the hyphen
    ],
)
def test_real_organisation_numbers_pass(value, expected):
    assert normalise_org_number(value) == expected


def test_personal_identity_number_is_refused_although_its_luhn_digit_is_right():
    assert orgnr.is_valid("900101-0017")  # stdnum alone would accept it
    with pytest.raises(ValidationError) as e:
        normalise_org_number("900101-0017")
    assert e.value.code == "personal_number"


@pytest.mark.parametrize("value", ["802496-6081", "12345", "abcdef-ghij", ""])
def test_malformed_or_wrong_check_digit_is_refused(value):
    with pytest.raises(ValidationError):
        normalise_org_number(value)


def test_factory_numbers_are_valid():
    for n in range(200):
        assert normalise_org_number(org_number(n)) == org_number(n)
