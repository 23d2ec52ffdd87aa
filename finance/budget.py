"""Budget against outcome: the figures of the budget page, the Excel export and the reports.

This module is a contract: the reporting app reads ``BudgetFigures`` and
``BudgetLineFigures`` by these names. Everything is summed in the database; a call issues
a fixed number of queries (six) whatever the amount of data.

Definitions (``start``/``end`` default to the agreement's period, ``as_of`` to today):

* **period** – ``[start, end]``, clamped to the agreement's period.
* **counted up to** – ``min(end, as_of)``. Nothing dated after it is counted.
* **outcome** – the sum of the expenses dated in ``[start, counted up to]``.
* **budget** – for the whole agreement, the line's amount. For a shorter date range the
  line's amount is *counted by month*, as an agreement's budget is written (positions:
  monthly cost × months): ``amount × months in the range / months in the agreement``, where
  a whole calendar month counts 1 and a partial month its share of days (``months``),
  rounded to whole kronor (half up). So Sep–Dec of a 21-month agreement is 4/21 of each
  line. The budget total is the sum of the lines.
* **period elapsed share** – days elapsed / days in the period, both counted inclusively
  (on ``start`` one day has elapsed; on ``end`` all have), clamped to 0..1. Before the
  period starts it is 0.
* **share used** – ``outcome / budget`` (``None`` when the budget is 0).
* **forecast** – the outcome at the end of the period at the current rate:
  ``outcome / period elapsed share``, rounded to whole kronor. With nothing elapsed the
  forecast is the outcome; on and after the last day it equals the outcome.
* **deviation** – ``forecast − budget``; **deviation share** – ``deviation / budget``
  (``None`` for a zero budget). A line is **flagged** when
  ``|deviation| / budget > agreement.deviation_threshold_percent / 100``; a zero-budget
  line is flagged as soon as its forecast is above zero. Before the period has begun
  (nothing elapsed) no line is flagged: there is no rate yet.
* **payments total** – payments dated in ``[start, counted up to]``; **repaid** – the
  repayments of unused funds dated up to ``as_of`` (recorded by the approved close-out),
  counted when the range runs to the agreement's end;
  **balance** = payments − repaid − outcome (positive: cash not yet spent).
* **unused funds** – ``budget total − outcome total``, never below 0.
* **to repay** – once the period has ended (``as_of ≥ end``): the balance when positive,
  else 0. Before the end it is 0: the money may still be spent (see ``balance``).
* **to repay, forecast** – ``payments − repaid − forecast total`` when positive, else 0:
  what would be left to repay if the rest of the period were spent at the current rate and
  no more payments came. The close-out settles it with the parties' decision.
* **in kind** – hours given and never counted as cost, dated in ``[start, counted up to]``:
  volunteer hours of the sessions, of the activities and of own entries, civil-servant
  hours, and the notional value (``hours × notional hourly value`` of the entries that
  have one).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnership.models import KRONOR, Agreement, BudgetLine

from .models import Expense, InKindContribution, Payment, Repayment

ZERO = Decimal("0")
ONE = Decimal("1")
_KR = DecimalField(**KRONOR)
_HOURS = DecimalField(max_digits=12, decimal_places=1)


def whole_kronor(value: Decimal) -> Decimal:
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BudgetLineFigures:
    line: BudgetLine
    budget: Decimal
    outcome: Decimal
    share_used: Decimal | None
    forecast: Decimal
    deviation: Decimal
    deviation_share: Decimal | None
    flagged: bool


@dataclass(frozen=True)
class BudgetFigures:
    agreement: Agreement
    start: date
    end: date
    as_of: date
    period_elapsed_share: Decimal
    lines: list[BudgetLineFigures]
    budget_total: Decimal
    outcome_total: Decimal
    forecast_total: Decimal
    payments_total: Decimal
    repaid_total: Decimal
    balance: Decimal
    unused_funds: Decimal
    to_repay: Decimal
    to_repay_forecast: Decimal
    in_kind: dict
    flagged_lines: list[BudgetLineFigures]

    @property
    def counted_until(self) -> date:
        return min(self.end, self.as_of)

    @property
    def ended(self) -> bool:
        return self.as_of >= self.end

    @property
    def share_used(self) -> Decimal | None:
        return self.outcome_total / self.budget_total if self.budget_total else None

    @property
    def deviation_total(self) -> Decimal:
        """Forecast − budget of all lines, as each line's deviation."""
        return self.forecast_total - self.budget_total

    @property
    def deviation_total_share(self) -> Decimal | None:
        return self.deviation_total / self.budget_total if self.budget_total else None

    @property
    def is_whole_agreement(self) -> bool:
        return self.start == self.agreement.start_date and self.end == self.agreement.end_date


def months(start: date, end: date) -> Decimal:
    """The calendar months in ``[start, end]``: each whole month 1, a partial month the
    share of its days that the range covers (1–15 April is 15/30)."""
    total = ZERO
    first = start
    for last in month_ends(start, end):
        days_in_month = calendar.monthrange(last.year, last.month)[1]
        total += Decimal((last - first).days + 1) / Decimal(days_in_month)
        first = last + timedelta(days=1)
    return total


def period_budget(amount: Decimal, agreement, start: date, end: date) -> Decimal:
    """A line's budget for ``[start, end]`` (see the module docstring: counted by month)."""
    if (start, end) == (agreement.start_date, agreement.end_date):
        return amount
    return whole_kronor(
        amount * months(start, end) / months(agreement.start_date, agreement.end_date)
    )


def elapsed_share(start: date, end: date, as_of: date) -> Decimal:
    """Days elapsed in [start, end] on ``as_of``, inclusive, as a share 0..1."""
    total = (end - start).days + 1
    elapsed = (min(as_of, end) - start).days + 1
    if elapsed <= 0:
        return ZERO
    return min(Decimal(elapsed) / Decimal(total), ONE)


def line_figures(line, *, budget, outcome, elapsed, threshold_percent) -> BudgetLineFigures:
    forecast = outcome if elapsed in (ZERO, ONE) else whole_kronor(outcome / elapsed)
    deviation = forecast - budget
    if budget:
        share_used = outcome / budget
        deviation_share = deviation / budget
        flagged = abs(deviation) * 100 > Decimal(threshold_percent) * budget
    else:
        share_used = deviation_share = None
        flagged = forecast > 0
    if elapsed == ZERO:
        flagged = False
    return BudgetLineFigures(
        line=line,
        budget=budget,
        outcome=outcome,
        share_used=share_used,
        forecast=forecast,
        deviation=deviation,
        deviation_share=deviation_share,
        flagged=flagged,
    )


def in_kind_figures(agreement, start: date, until: date) -> dict:
    """Hours given in kind in [start, until], summed in the database (three queries)."""
    Session = apps.get_model("visits", "Session")
    Activity = apps.get_model("visits", "Activity")

    def hours(model):
        return model.objects.filter(
            agreement=agreement, date__gte=start, date__lte=until
        ).aggregate(h=Coalesce(Sum("volunteer_hours"), ZERO, output_field=_HOURS))["h"]

    own = InKindContribution.objects.filter(agreement=agreement, date__gte=start, date__lte=until)
    volunteer = Q(kind=InKindContribution.Kind.VOLUNTEER)
    civil = Q(kind=InKindContribution.Kind.CIVIL_SERVANT)
    sums = own.aggregate(
        volunteer=Coalesce(Sum("hours", filter=volunteer), ZERO, output_field=_HOURS),
        civil_servant=Coalesce(Sum("hours", filter=civil), ZERO, output_field=_HOURS),
        notional=Coalesce(
            Sum(
                ExpressionWrapper(
                    F("hours") * F("notional_hourly_value"),
                    output_field=DecimalField(max_digits=20, decimal_places=1),
                )
            ),
            ZERO,
            output_field=DecimalField(max_digits=20, decimal_places=1),
        ),
    )
    session_hours = hours(Session)
    activity_hours = hours(Activity)
    return {
        "session_volunteer_hours": session_hours,
        "activity_volunteer_hours": activity_hours,
        "own_volunteer_hours": sums["volunteer"],
        "volunteer_hours": session_hours + activity_hours + sums["volunteer"],
        "civil_servant_hours": sums["civil_servant"],
        "notional_value": whole_kronor(Decimal(sums["notional"])),
    }


@dataclass(frozen=True)
class Basis:
    """Budget, outcome and payments of ``[start, end]`` counted up to ``as_of``: the base a
    report compares against (the period's own, or the cumulative since the start)."""

    start: date
    end: date
    as_of: date
    elapsed_share: Decimal
    lines: list  # (budget line with ``outcome``, budget of the range)
    budget_total: Decimal
    outcome_total: Decimal
    payments_total: Decimal

    @property
    def share_used(self) -> Decimal | None:
        return self.outcome_total / self.budget_total if self.budget_total else None

    def rows(self) -> list:
        """(budget line with ``outcome``, budget of the range, share used or None)."""
        return [
            (line, budget, line.outcome / budget if budget else None) for line, budget in self.lines
        ]


def basis(agreement, start: date, end: date, as_of: date) -> Basis:
    """The ``Basis`` of ``[start, end]`` (clamped to the agreement). Two queries."""
    start = max(start, agreement.start_date)
    end = min(end, agreement.end_date)
    if end < start:
        raise ValueError("end must not be before start")
    until = min(end, as_of)
    counted = Q(expenses__date__gte=start, expenses__date__lte=until)
    lines = [
        (line, period_budget(line.amount, agreement, start, end))
        for line in BudgetLine.objects.filter(agreement=agreement)
        .annotate(outcome=Coalesce(Sum("expenses__amount", filter=counted), ZERO, output_field=_KR))
        .order_by("order", "pk")
    ]
    payments_total = Payment.objects.filter(
        agreement=agreement, date__gte=start, date__lte=until
    ).aggregate(total=Coalesce(Sum("amount"), ZERO, output_field=_KR))["total"]
    return Basis(
        start=start,
        end=end,
        as_of=as_of,
        elapsed_share=elapsed_share(start, end, as_of),
        lines=lines,
        budget_total=sum((budget for _line, budget in lines), ZERO),
        outcome_total=sum((line.outcome for line, _budget in lines), ZERO),
        payments_total=payments_total,
    )


def budget_figures(agreement, *, start=None, end=None, as_of=None) -> BudgetFigures:
    """The budget against outcome of ``agreement`` for ``[start, end]`` as of ``as_of``.
    See the module docstring for every definition."""
    as_of = as_of or timezone.localdate()
    base = basis(agreement, start or agreement.start_date, end or agreement.end_date, as_of)
    line_results = [
        line_figures(
            line,
            budget=budget,
            outcome=line.outcome,
            elapsed=base.elapsed_share,
            threshold_percent=agreement.deviation_threshold_percent,
        )
        for line, budget in base.lines
    ]
    forecast_total = sum((f.forecast for f in line_results), ZERO)
    # Repayments settle the whole agreement: counted for a range that runs to its end.
    repaid_total = (
        Repayment.objects.filter(agreement=agreement, date__lte=as_of).aggregate(
            total=Coalesce(Sum("amount"), ZERO, output_field=_KR)
        )["total"]
        if base.end == agreement.end_date
        else ZERO
    )
    cash = base.payments_total - repaid_total
    balance = cash - base.outcome_total
    return BudgetFigures(
        agreement=agreement,
        start=base.start,
        end=base.end,
        as_of=as_of,
        period_elapsed_share=base.elapsed_share,
        lines=line_results,
        budget_total=base.budget_total,
        outcome_total=base.outcome_total,
        forecast_total=forecast_total,
        payments_total=base.payments_total,
        repaid_total=repaid_total,
        balance=balance,
        unused_funds=max(base.budget_total - base.outcome_total, ZERO),
        to_repay=max(balance, ZERO) if as_of >= base.end else ZERO,
        to_repay_forecast=max(cash - forecast_total, ZERO),
        in_kind=in_kind_figures(agreement, base.start, min(base.end, as_of)),
        flagged_lines=[f for f in line_results if f.flagged],
    )


def monthly_outcome(agreement, start: date, until: date) -> list[tuple[date, Decimal]]:
    """(first day of month, outcome in that month) for the months with expenses, one query."""
    from django.db.models.functions import TruncMonth

    rows = (
        Expense.objects.filter(agreement=agreement, date__gte=start, date__lte=until)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    return [(r["month"], r["total"]) for r in rows]


def month_ends(start: date, end: date) -> list[date]:
    """The last day of every month from ``start`` to ``end`` (``end`` itself last)."""
    days = []
    month = date(start.year, start.month, 1)
    while month <= end:
        nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        days.append(min(nxt - timedelta(days=1), end))
        month = nxt
    return days
