"""Validation of Swedish organisation numbers.

python-stdnum's ``se.orgnr`` checks the format and the Luhn check digit only, so a personal
identity number (personnummer) passes it too. An organisation number has a "month" part
(digits 3-4) of at least 20; a personal identity number has 01-12 (or 61-72 for a
coordination number), so requiring >= 20 refuses both.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.se import orgnr


def normalise_org_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError."""
    try:
        compact = orgnr.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _("Enter a valid Swedish organisation number (NNNNNN-NNNN)."), code="invalid"
        ) from None
    if int(compact[2:4]) < 20:
        raise ValidationError(
            _(
                "This looks like a personal identity number, not an organisation number "
                "(digits 3-4 must be 20 or more)."
            ),
            code="personal_number",
        )
    return orgnr.format(compact)


def validate_org_number(value: str) -> None:
    normalise_org_number(value)


MAX_REMINDER_DAYS = 365


def reminder_day_list(value: str) -> list[int]:
    """ "30, 7,1" as [30, 7, 1]; raises ValueError on anything else."""
    days = [int(part) for part in value.replace(" ", "").split(",") if part]
    if any(not 1 <= day <= MAX_REMINDER_DAYS for day in days):
        raise ValueError(value)
    return sorted(set(days), reverse=True)


def validate_reminder_days(value: str) -> None:
    try:
        reminder_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of days from 1 to %(max)s, separated by commas, e.g. 30,7,1."),
            params={"max": MAX_REMINDER_DAYS},
            code="invalid",
        ) from None
