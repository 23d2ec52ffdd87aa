"""Demo money for an agreement: expenses that follow the budget, one line clearly over,
quarterly payments from the public party and a few civil-servant hours.

Called by the ``demo_data`` command (reporting app). Deterministic for a given ``rng``,
idempotent (nothing happens when the agreement already has expenses) and written with a
handful of bulk inserts.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from partnership.models import BudgetLine, Party

from .budget import month_ends, whole_kronor
from .models import Expense, InKindContribution, Payment, SieMappingRule

# The deviating line spends at 140 % of its rate, well past the default 10 % threshold.
DEVIATING_RATE = Decimal("1.40")
NOISE = 0.05  # ± 5 % from month to month on the other lines


def _deviating_line(lines):
    activities = [line for line in lines if line.category == BudgetLine.Category.ACTIVITIES]
    return (activities or lines)[-1]


def _segments(start: date, until: date):
    """(first day, last day) of each month from ``start`` up to ``until``."""
    first = start
    for last in month_ends(start, until):
        yield first, last
        first = last + timedelta(days=1)


def create_demo_finance(agreement, *, rng: random.Random, until: date) -> None:
    if agreement.expenses.exists():
        return
    until = min(until, agreement.end_date)
    if until < agreement.start_date:
        return
    lines = list(agreement.budget_lines.order_by("order", "pk"))
    if not lines:
        return
    deviating = _deviating_line(lines)
    total_days = Decimal((agreement.end_date - agreement.start_date).days + 1)

    expenses = []
    for first, last in _segments(agreement.start_date, until):
        days = Decimal((last - first).days + 1)
        for line in lines:
            rate = (
                DEVIATING_RATE
                if line == deviating
                else Decimal(str(1 + rng.uniform(-NOISE, NOISE)))
            )
            amount = whole_kronor(line.amount * days / total_days * rate)
            if amount <= 0:
                continue
            expenses.append(
                Expense(
                    agreement=agreement,
                    budget_line=line,
                    date=last,
                    amount=amount,
                    description=f"{line.text} {first:%Y-%m}",
                    voucher_reference=f"DEMO-{last:%Y%m%d}-{line.pk}",
                )
            )
    bulk_create_with_history(expenses, Expense, batch_size=500)

    public = agreement.parties.filter(role=Party.Role.PUBLIC).first()
    payments, in_kind = [], []
    quarter = agreement.start_date
    paid = Decimal("0")
    while quarter <= until:
        nxt = date(quarter.year + (quarter.month > 9), (quarter.month + 2) % 12 + 1, 1)
        # Paid in advance for the quarter, by days; cumulative rounding so that the
        # payments of the whole period add up to the budget total exactly.
        days_so_far = Decimal(
            (min(nxt, agreement.end_date + timedelta(days=1)) - agreement.start_date).days
        )
        due = whole_kronor(agreement.budget_total * days_so_far / total_days)
        amount, paid = due - paid, due
        payments.append(
            Payment(
                agreement=agreement,
                date=quarter,
                amount=amount,
                reference=f"{quarter:%Y}-Q{(quarter.month - 1) // 3 + 1}",
            )
        )
        in_kind.append(
            InKindContribution(
                agreement=agreement,
                party=public,
                kind=InKindContribution.Kind.CIVIL_SERVANT,
                date=min(quarter + timedelta(days=rng.randint(10, 60)), until),
                hours=Decimal(rng.randint(8, 24)),
                notional_hourly_value=Decimal("450"),
                description="Samordnarens tid",
            )
        )
        quarter = nxt
    payments = [p for p in payments if p.amount > 0]
    bulk_create_with_history(payments, Payment)
    bulk_create_with_history(in_kind, InKindContribution)


# Account rules for the SIE import, as an association using BAS would write them:
# (first account, last account, budget line category).
DEMO_SIE_RULES = [
    (7010, 7699, BudgetLine.Category.PERSONNEL),
    (5010, 5099, BudgetLine.Category.PREMISES),
    (6000, 6999, BudgetLine.Category.OVERHEAD),
    (4000, 4999, BudgetLine.Category.ACTIVITIES),
    (5400, 5999, BudgetLine.Category.ACTIVITIES),
]


def create_demo_sie_rules(agreement) -> None:
    """The example account rules, each to the agreement's first line of its category (none
    for a category the agreement has no line of). Nothing when it has rules already."""
    if agreement.sie_rules.exists():
        return
    first_line = {}
    for line in agreement.budget_lines.order_by("order", "pk"):
        first_line.setdefault(line.category, line)
    rules = [
        SieMappingRule(
            agreement=agreement, account_from=first, account_to=last, budget_line=first_line[cat]
        )
        for first, last, cat in DEMO_SIE_RULES
        if cat in first_line
    ]
    bulk_create_with_history(rules, SieMappingRule)


def populate(agreement, *, seed: int, until: date) -> None:
    """The account rules, and ``create_demo_finance`` with a generator seeded by ``seed``
    and the agreement."""
    create_demo_sie_rules(agreement)
    create_demo_finance(
        agreement, rng=random.Random(f"{seed}:finance:{agreement.short_name}"), until=until
    )
