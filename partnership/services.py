"""Writes for the partnership app: small keyword-only functions, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .lifecycle import assert_takes_logs
from .models import BudgetLine, LockedPeriod

_DATE = models.DateField()


def is_date_locked(*, agreement, day) -> bool:
    """Whether ``day`` lies in a locked (approved) period of ``agreement`` (or its key).
    ``day`` as a date field takes it (a row being saved may still hold a string)."""
    day = _DATE.to_python(day)
    return LockedPeriod.objects.filter(
        agreement_id=getattr(agreement, "pk", agreement), start_date__lte=day, end_date__gte=day
    ).exists()


def assert_date_unlocked(*, agreement, day, field="date"):
    """Refuse a write dated inside an approved (locked) period."""
    if day is not None and is_date_locked(agreement=agreement, day=day):
        raise ValidationError(
            {
                field: _(
                    "This date lies in a period whose report has been approved, so it is "
                    "locked. Ask the coordinator to reopen the period."
                )
            }
        )


def assert_date_not_future(*, day, field="date"):
    """Refuse a date after today: what is logged, spent or paid has happened."""
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def assert_date_in_agreement(*, agreement, day, field="date"):
    if day is not None and not agreement.contains(day):
        raise ValidationError(
            {
                field: _("The date must lie inside the agreement period (%(start)s – %(end)s).")
                % {"start": agreement.start_date.isoformat(), "end": agreement.end_date.isoformat()}
            }
        )


# What decides where an agreement's deadlines lie.
PERIOD_FIELDS = (
    "start_date",
    "end_date",
    "final_report_months_before_end",
    "close_out_months_after_end",
)


def assert_date_writable(*, agreement, day, future=False):
    """A row dated ``day`` may be written: inside the agreement period, not in a locked
    (approved) period, and not after today unless ``future`` (planned in-kind hours)."""
    assert_date_in_agreement(agreement=agreement, day=day)
    if not future:
        assert_date_not_future(day=day)
    assert_date_unlocked(agreement=agreement, day=day)


def assert_log_writable(*, agreement, day, future=False):
    """A log (a session, a count, an activity, money) dated ``day`` may be written: the
    agreement is active (not a draft, not ended) and the date is writable."""
    assert_takes_logs(agreement=agreement)
    assert_date_writable(agreement=agreement, day=day, future=future)


def assert_log_deletable(*, agreement, day):
    """A log dated ``day`` may be deleted: the agreement is active and the date unlocked."""
    assert_takes_logs(agreement=agreement)
    assert_date_unlocked(agreement=agreement, day=day)


@transaction.atomic
def change_period(*, agreement, **fields):
    """Change the agreement's period (``start_date``, ``end_date``, and the final report's
    ``final_report_months_before_end``): every change of the end goes through here or
    through ``Agreement.save()`` after ``full_clean()``, as Django admin does. Refused, with
    nothing changed, when a deadline would no longer hold; deadlines due relative to the end
    move with it."""
    unknown = set(fields) - set(PERIOD_FIELDS)
    if unknown:
        raise TypeError(f"not a period field: {', '.join(sorted(unknown))}")
    agreement = type(agreement).objects.select_for_update().get(pk=agreement.pk)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def recompute_budget_line_from_positions(*, budget_line: BudgetLine) -> BudgetLine:
    """A personnel line built from positions costs what its positions cost."""
    line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
    if line.positions.exists():
        total = line.positions_total()
        if line.amount != total:
            line.amount = total
            line.full_clean()
            line.save(update_fields=["amount"])
    return line
