"""Writes for the finance app: small keyword-only functions, one transaction each."""

from django.db import transaction

from partnership.services import assert_log_deletable, assert_log_writable

from .models import Expense, InKindContribution, Payment, SieMappingRule

# Every write checks the date against the agreement and against the locked (approved)
# periods: both the old and the new date when a row is moved, so a locked period can be
# neither changed nor emptied. Expenses and payments cannot be dated in the future.


def _check_stored_date(model, row):
    """The date the row has in the database (locked for the update) is not locked."""
    stored = model.objects.select_for_update().values_list("date", flat=True).get(pk=row.pk)
    assert_log_deletable(agreement=row.agreement, day=stored)


@transaction.atomic
def create_expense(*, agreement, user=None, **fields):
    expense = Expense(agreement=agreement, registered_by=user, **fields)
    assert_log_writable(agreement=agreement, day=expense.date)
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def update_expense(*, expense, **fields):
    _check_stored_date(Expense, expense)
    for name, value in fields.items():
        setattr(expense, name, value)
    assert_log_writable(agreement=expense.agreement, day=expense.date)
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def delete_expense(*, expense):
    assert_log_deletable(agreement=expense.agreement, day=expense.date)
    expense.delete()


@transaction.atomic
def create_payment(*, agreement, user=None, **fields):
    payment = Payment(agreement=agreement, registered_by=user, **fields)
    assert_log_writable(agreement=agreement, day=payment.date)
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def update_payment(*, payment, **fields):
    _check_stored_date(Payment, payment)
    for name, value in fields.items():
        setattr(payment, name, value)
    assert_log_writable(agreement=payment.agreement, day=payment.date)
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def delete_payment(*, payment):
    assert_log_deletable(agreement=payment.agreement, day=payment.date)
    payment.delete()


@transaction.atomic
def create_in_kind(*, agreement, party, kind, **fields):
    contribution = InKindContribution(agreement=agreement, party=party, kind=kind, **fields)
    assert_log_writable(agreement=agreement, day=contribution.date, future=True)
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def delete_in_kind(*, contribution):
    assert_log_deletable(agreement=contribution.agreement, day=contribution.date)
    contribution.delete()


# Account rules are not dated, so no period locks them; the expenses they bring are.


@transaction.atomic
def create_sie_rule(*, agreement, **fields):
    rule = SieMappingRule(agreement=agreement, **fields)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def update_sie_rule(*, rule, **fields):
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def delete_sie_rule(*, rule):
    rule.delete()
