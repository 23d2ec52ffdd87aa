"""Writes for the finance app: small keyword-only functions, one transaction each."""

from django.db import transaction

from partnership.services import assert_date_in_agreement, assert_date_unlocked

from .models import Expense, InKindContribution, Payment

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
