"""Writes for the partnership app: small keyword-only functions, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .models import BudgetLine, Expense, InKindContribution, LockedPeriod, Payment

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


def assert_date_in_agreement(*, agreement, day, field="date"):
    if day is not None and not agreement.contains(day):
        raise ValidationError(
            {
                field: _("The date must lie inside the agreement period (%(start)s – %(end)s).")
                % {"start": agreement.start_date.isoformat(), "end": agreement.end_date.isoformat()}
            }
        )


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


# --- Money: expenses, payments and in-kind contributions -------------------------------
#
# Every write checks the date against the agreement and, for expenses, against the locked
# (approved) periods: both the old and the new date when an expense is moved, so a locked
# period can be neither changed nor emptied.


def _check_expense_date(*, agreement, day):
    assert_date_in_agreement(agreement=agreement, day=day)
    assert_date_unlocked(agreement=agreement, day=day)


@transaction.atomic
def create_expense(*, agreement, user=None, **fields):
    expense = Expense(agreement=agreement, registered_by=user, **fields)
    _check_expense_date(agreement=agreement, day=expense.date)
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def update_expense(*, expense, **fields):
    old_date = Expense.objects.select_for_update().values_list("date", flat=True).get(pk=expense.pk)
    assert_date_unlocked(agreement=expense.agreement, day=old_date)
    for name, value in fields.items():
        setattr(expense, name, value)
    _check_expense_date(agreement=expense.agreement, day=expense.date)
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def delete_expense(*, expense):
    assert_date_unlocked(agreement=expense.agreement, day=expense.date)
    expense.delete()


@transaction.atomic
def create_payment(*, agreement, user=None, **fields):
    payment = Payment(agreement=agreement, registered_by=user, **fields)
    assert_date_in_agreement(agreement=agreement, day=payment.date)
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def update_payment(*, payment, **fields):
    for name, value in fields.items():
        setattr(payment, name, value)
    assert_date_in_agreement(agreement=payment.agreement, day=payment.date)
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def delete_payment(*, payment):
    payment.delete()


@transaction.atomic
def create_in_kind(*, agreement, party, kind, **fields):
    contribution = InKindContribution(agreement=agreement, party=party, kind=kind, **fields)
    assert_date_in_agreement(agreement=agreement, day=contribution.date)
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def delete_in_kind(*, contribution):
    contribution.delete()
