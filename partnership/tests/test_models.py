from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from finance.models import Payment
from finance.tests.factories import ExpenseFactory, PaymentFactory
from partnership.models import (
    Agreement,
    BudgetLine,
    Funding,
    Organisation,
    ReportingDeadline,
    StaffPosition,
)
from partnership.services import recompute_budget_line_from_positions
from partnership.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def test_organisation_clean_normalises_and_refuses_personal_numbers():
    org = Organisation(name="X", org_number="8024966080", sector="idea_driven")
    org.full_clean()
    assert org.org_number == "802496-6080"
    person = Organisation(name="Y", org_number="900101-0017", sector="other")
    with pytest.raises(ValidationError) as e:
        person.full_clean()
    assert "org_number" in e.value.message_dict


def test_end_date_must_be_after_start_in_the_database():
    agreement = AgreementFactory()
    agreement.end_date = agreement.start_date
    with pytest.raises(ValidationError):
        agreement.full_clean()
    with pytest.raises(ValidationError):  # a bulk update goes through the same rules
        Agreement.objects.filter(pk=agreement.pk).update(end_date=date(2019, 1, 1))
    # Past every rule of the app (the plain QuerySet.update), the database still refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet.update(Agreement.objects.filter(pk=agreement.pk), end_date=date(2019, 1, 1))


@pytest.mark.parametrize(
    "make",
    [
        lambda a: BudgetLine.objects.create(agreement=a, category="other", text="x", amount=-1),
        lambda a: PaymentFactory(agreement=a, amount=Decimal("0")),
        lambda a: ExpenseFactory(agreement=a, amount=Decimal("-5")),
        lambda a: Funding.objects.create(agreement=a, kind="cash", amount=None),
        lambda a: Funding.objects.create(agreement=a, kind="in_kind", amount=Decimal("5")),
        lambda a: StaffPosition.objects.create(
            budget_line=a.budget_lines.first(), title="x", fte_percent=0, monthly_cost=1, months=1
        ),
    ],
    ids=[
        "negative budget line",
        "zero payment",
        "negative expense",
        "cash without amount",
        "in-kind with amount",
        "0 % position",
    ],
)
def test_database_refuses_bad_amounts(make):
    agreement = AgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(agreement)


def test_positions_compute_the_personnel_line():
    agreement = AgreementFactory()
    line = BudgetLine.objects.create(
        agreement=agreement, category="personnel", text="Personal", amount=0
    )
    for title in ("Projektsamordnare", "Vägledare"):
        StaffPosition.objects.create(
            budget_line=line, title=title, count=1, fte_percent=100, monthly_cost=42000, months=21
        )
    line = recompute_budget_line_from_positions(budget_line=line)
    assert line.amount == Decimal("1764000")
    # A half-time position costs half.
    assert StaffPosition(count=1, fte_percent=50, monthly_cost=42000, months=10).cost == 210000


def test_final_deadline_moves_with_the_end_date():
    agreement = AgreementFactory(end_date=date(2020, 12, 31))
    final = agreement.deadlines.get(kind="final")
    assert final.due_date == date(2020, 11, 30)
    agreement.end_date = date(2021, 6, 30)
    agreement.save()
    final.refresh_from_db()
    assert final.due_date == date(2021, 5, 30)
    assert final.period_end == date(2021, 6, 30)
    # A fixed interim deadline does not move.
    assert agreement.deadlines.get(kind="interim").due_date == date(2019, 8, 31)


def test_deadline_outside_the_agreement_is_refused():
    agreement = AgreementFactory()
    d = ReportingDeadline(
        agreement=agreement,
        kind="interim",
        period_start=date(2019, 4, 1),
        period_end=date(2021, 3, 1),
        due_date=date(2021, 3, 1),
    )
    with pytest.raises(ValidationError) as e:
        d.full_clean()
    assert {"period_end", "due_date"} <= set(e.value.message_dict)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingDeadline.objects.create(
            agreement=agreement,
            kind="interim",
            period_start=date(2019, 8, 1),
            period_end=date(2019, 7, 1),
            due_date=date(2019, 8, 1),
        )


def test_budget_lines_total_is_summed_in_the_database():
    agreement = AgreementFactory()
    assert agreement.budget_lines_total() == Decimal("1000000")
    annotated = Agreement.objects.with_budget_sum().get(pk=agreement.pk)
    assert annotated.budget_lines_sum == Decimal("1000000")


def test_changes_are_kept_in_history():
    agreement = AgreementFactory()
    agreement.title = "Renamed"
    agreement.save()
    assert [h.title for h in agreement.history.all()][:2] == [
        "Renamed",
        agreement.history.last().title,
    ]
    assert agreement.history.count() >= 2
    line = agreement.budget_lines.first()
    line.amount = 1
    line.save()
    assert line.history.first().amount == 1


def test_payment_str_and_ordering():
    agreement = AgreementFactory()
    PaymentFactory(agreement=agreement, date=date(2019, 6, 1))
    PaymentFactory(agreement=agreement, date=date(2019, 5, 1))
    assert [p.date.month for p in Payment.objects.filter(agreement=agreement)] == [5, 6]


def test_saving_an_agreement_without_moving_its_end_leaves_no_empty_deadline_history():
    agreement = AgreementFactory()
    final = agreement.deadlines.get(kind="final")
    before = final.history.count()
    agreement.title = "Renamed"
    agreement.save()
    assert final.history.count() == before
