from datetime import date
from decimal import Decimal

import factory

from finance.models import Expense, Payment
from partnership.tests.factories import AgreementFactory


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    agreement = factory.SubFactory(AgreementFactory)
    date = date(2019, 5, 1)
    amount = Decimal("100000")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    agreement = factory.SubFactory(AgreementFactory)
    budget_line = factory.LazyAttribute(lambda o: o.agreement.budget_lines.first())
    date = date(2019, 5, 1)
    amount = Decimal("1000")
    description = "Expense"
    voucher_reference = factory.Sequence(lambda n: f"V{n}")
