import random
from datetime import date
from decimal import Decimal

import pytest

from finance.budget import budget_figures
from finance.demo import create_demo_finance
from finance.models import Expense, InKindContribution, Payment
from partnership.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def test_demo_finance_follows_the_budget_with_one_deviating_line(agreement):
    until = date(2020, 3, 10)
    create_demo_finance(agreement, rng=random.Random(1), until=until)
    assert Expense.objects.filter(agreement=agreement, date__gt=until).count() == 0
    assert Expense.objects.filter(agreement=agreement).count() == 12 * 2  # 2019-04 … 2020-03
    f = budget_figures(agreement, as_of=until)
    staff, activities = f.lines
    assert [line.line for line in f.flagged_lines] == [activities.line]
    assert activities.deviation_share == pytest.approx(Decimal("0.40"), abs=Decimal("0.01"))
    assert abs(staff.deviation_share) < Decimal("0.05")
    # Quarterly payments 2019-04, -07, -10, 2020-01 of the budget by days.
    payments = list(Payment.objects.filter(agreement=agreement).values_list("date", "amount"))
    assert [d for d, _ in payments] == [
        date(2019, 4, 1),
        date(2019, 7, 1),
        date(2019, 10, 1),
        date(2020, 1, 1),
    ]
    assert payments[0][1] == Decimal("141966")  # 1 000 000 × 91 / 641
    assert InKindContribution.objects.filter(agreement=agreement, kind="civil_servant").count() == 4
    assert f.in_kind["civil_servant_hours"] > 0


def test_demo_finance_is_deterministic_and_idempotent(agreement, django_assert_max_num_queries):
    other = AgreementFactory()
    with django_assert_max_num_queries(20):
        create_demo_finance(agreement, rng=random.Random(7), until=date(2021, 1, 1))
    create_demo_finance(other, rng=random.Random(7), until=date(2021, 1, 1))

    def amounts(a):
        return list(
            Expense.objects.filter(agreement=a)
            .order_by("date", "budget_line__order")
            .values_list("amount", flat=True)
        )

    assert amounts(agreement) == amounts(other)
    count = Expense.objects.count()
    create_demo_finance(agreement, rng=random.Random(8), until=date(2021, 1, 1))
    assert Expense.objects.count() == count
    assert Expense.history.filter(agreement_id=agreement.pk).count() == len(amounts(agreement))


def test_demo_account_rules_map_to_the_agreements_own_lines(agreement):
    from finance.demo import create_demo_sie_rules
    from partnership.seed.loader import load_seed_agreement

    create_demo_sie_rules(agreement)
    create_demo_sie_rules(agreement)  # idempotent
    rules = [(r.account_from, r.account_to, r.budget_line.text) for r in agreement.sie_rules.all()]
    # The factory's agreement has no premises or overhead line: no rule for those.
    assert rules == [(4000, 4999, "Activities"), (5400, 5999, "Activities"), (7010, 7699, "Staff")]

    seed, _created = load_seed_agreement()
    create_demo_sie_rules(seed)
    categories = {
        (r.account_from, r.account_to): r.budget_line.category for r in seed.sie_rules.all()
    }
    assert categories == {
        (7010, 7699): "personnel",
        (5010, 5099): "premises",
        (6000, 6999): "overhead",
        (4000, 4999): "activities",
        (5400, 5999): "activities",
    }
    assert all(r.budget_line.agreement == seed for r in seed.sie_rules.all())
