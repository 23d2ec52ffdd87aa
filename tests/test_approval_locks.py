"""An approved period is locked below the views: services, models and Django admin refuse to
create, change, move or delete a session, visitor count, activity or expense dated in it."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from finance.models import Expense
from partnership.admin_mixins import LockedParentInlineMixin, LockedPeriodAdminMixin
from partnership.locks import LOCKED_MODELS
from partnership.models import LockedPeriod
from partnership.services import assert_date_unlocked
from tests.test_scoped_access import snapshot
from visits.models import Activity, Session, VisitorCount

pytestmark = pytest.mark.django_db

LOCKED_KINDS = ["session", "count", "activity", "expense", "payment", "in_kind"]


@pytest.fixture
def locked(world):
    """May 2019 of agreement A is approved and locked; the world's rows lie in it."""
    a = world["a"]
    LockedPeriod.objects.create(
        agreement=a["agreement"],
        start_date=date(2019, 5, 1),
        end_date=date(2019, 5, 31),
        reason="Interim report approved",
    )
    return a


def test_the_service_check_refuses_a_locked_date(locked):
    with pytest.raises(ValidationError) as raised, translation.override("sv"):
        assert_date_unlocked(agreement=locked["agreement"], day=date(2019, 5, 15))
    assert "låst" in str(raised.value)
    assert_date_unlocked(agreement=locked["agreement"], day=date(2019, 6, 1))


@pytest.mark.parametrize("kind", LOCKED_KINDS)
def test_a_locked_row_cannot_be_changed_or_deleted(locked, kind):
    obj = locked[kind]
    before = snapshot()
    with pytest.raises(ValidationError):
        obj.save()
    with pytest.raises(ValidationError), transaction.atomic():
        type(obj).objects.get(pk=obj.pk).delete()
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["session", "activity", "expense", "payment", "in_kind"])
def test_a_locked_row_cannot_be_moved_out_of_the_period(locked, kind):
    obj = locked[kind]
    obj.date = date(2019, 7, 1)
    with pytest.raises(ValidationError):
        obj.save()
    assert type(obj).objects.get(pk=obj.pk).date.month == 5


def test_no_row_can_be_created_or_moved_into_the_period(locked, world):
    a = locked
    with pytest.raises(ValidationError):
        Expense.objects.create(
            agreement=a["agreement"],
            budget_line=a["budget_line"],
            date=date(2019, 5, 20),
            amount=Decimal("10"),
            description="late",
        )
    with pytest.raises(ValidationError):
        Session.objects.create(
            agreement=a["agreement"],
            venue=a["venue"],
            date=date(2019, 5, 20),
            start_time="10:00",
            end_time="11:00",
        )
    with pytest.raises(ValidationError):
        VisitorCount.objects.create(
            session=a["session"], age_band=a["age_band"], gender="man", count=1
        )
    june = Activity.objects.create(
        agreement=a["agreement"], date=date(2019, 6, 3), type=Activity.Type.SPORT
    )
    june.date = date(2019, 5, 3)
    with pytest.raises(ValidationError):
        june.save()
    assert Activity.objects.get(pk=june.pk).date == date(2019, 6, 3)


def test_the_lock_is_per_agreement(locked, world):
    b = world["b"]["expense"]  # the same dates in agreement B are not locked
    b.amount = Decimal("999")
    b.save()
    b.delete()


def test_reopening_the_period_allows_the_correction(locked):
    LockedPeriod.objects.filter(agreement=locked["agreement"]).delete()
    expense = locked["expense"]
    expense.amount = Decimal("1300")
    expense.save()
    assert Expense.objects.get(pk=expense.pk).amount == Decimal("1300")


# --- Django admin ----------------------------------------------------------------------------


def test_every_admin_of_a_locked_model_uses_the_lock_mixin():
    """A ModelAdmin (or inline) for a locked model that forgets the mixin fails here."""
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in LOCKED_MODELS and not isinstance(
            model_admin, LockedPeriodAdminMixin
        ):
            missing.append(type(model_admin).__name__)
        for inline in model_admin.inlines:
            if inline.model._meta.label in LOCKED_MODELS and not issubclass(
                inline, (LockedParentInlineMixin, LockedPeriodAdminMixin)
            ):
                missing.append(inline.__name__)
    assert not missing


def _admin_url(obj, action):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj.pk])


def locked_admin_kinds():
    registered = {model._meta.label for model in admin.site._registry}
    labels = {
        "session": "visits.Session",
        "activity": "visits.Activity",
        "expense": "finance.Expense",
        "payment": "finance.Payment",
        "in_kind": "finance.InKindContribution",
        "count": "visits.VisitorCount",
    }
    return [kind for kind, label in labels.items() if label in registered]


@pytest.mark.parametrize("kind", locked_admin_kinds())
def test_admin_shows_a_locked_row_read_only_and_refuses_changes(locked, admin_client, kind):
    obj = locked[kind]
    before = snapshot()
    page = admin_client.get(_admin_url(obj, "change"))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # view only
    assert admin_client.post(_admin_url(obj, "change"), {"date": "2019-07-01"}).status_code == 403
    assert admin_client.post(_admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_admin_refuses_a_new_expense_in_the_locked_period(locked, admin_client):
    before = Expense.objects.count()
    response = admin_client.post(
        reverse("admin:finance_expense_add"),
        {
            "agreement": locked["agreement"].pk,
            "budget_line": locked["budget_line"].pk,
            "date": "2019-05-20",
            "amount": "100",
            "description": "Late receipt",
            "voucher_reference": "",
        },
    )
    assert response.status_code == 200
    assert "låst" in response.content.decode()
    assert Expense.objects.count() == before


def test_admin_still_saves_outside_the_locked_period(locked, admin_client):
    response = admin_client.post(
        reverse("admin:finance_expense_add"),
        {
            "agreement": locked["agreement"].pk,
            "budget_line": locked["budget_line"].pk,
            "date": "2019-06-20",
            "amount": "100",
            "description": "June receipt",
            "voucher_reference": "",
        },
    )
    assert response.status_code == 302
    assert Expense.objects.filter(description="June receipt").exists()


# --- The services of the apps ----------------------------------------------------------------


def _service_calls(a):
    from finance import services as finance
    from visits import services as visits

    commitments = list(a["agreement"].commitments.all()[:1])
    may = date(2019, 5, 20)
    return {
        "create_session": lambda: visits.create_session(
            agreement=a["agreement"],
            venue=a["venue"],
            date=may,
            start_time=time(10),
            end_time=time(11),
        ),
        "update_session": lambda: visits.update_session(session=a["session"], note="changed"),
        "delete_session": lambda: visits.delete_session(session=a["session"]),
        "increment_count": lambda: visits.increment_count(
            session=a["session"], age_band=a["age_band"], gender="woman", delta=1
        ),
        "create_activity": lambda: visits.create_activity(
            agreement=a["agreement"], commitments=commitments, date=may, type="sport"
        ),
        "update_activity": lambda: visits.update_activity(
            activity=a["activity"], commitments=commitments, description="changed"
        ),
        "delete_activity": lambda: visits.delete_activity(activity=a["activity"]),
        "create_expense": lambda: finance.create_expense(
            agreement=a["agreement"],
            budget_line=a["budget_line"],
            date=may,
            amount=Decimal("10"),
            description="late",
        ),
        "update_expense": lambda: finance.update_expense(expense=a["expense"], amount=Decimal("5")),
        "delete_expense": lambda: finance.delete_expense(expense=a["expense"]),
        "create_payment": lambda: finance.create_payment(
            agreement=a["agreement"], date=may, amount=Decimal("10")
        ),
        "update_payment": lambda: finance.update_payment(payment=a["payment"], amount=Decimal("5")),
        "delete_payment": lambda: finance.delete_payment(payment=a["payment"]),
        "create_in_kind": lambda: finance.create_in_kind(
            agreement=a["agreement"], party=a["party"], kind="volunteer", date=may, hours=2
        ),
        "delete_in_kind": lambda: finance.delete_in_kind(contribution=a["in_kind"]),
    }


SERVICE_CALLS = [
    "create_session",
    "update_session",
    "delete_session",
    "increment_count",
    "create_activity",
    "update_activity",
    "delete_activity",
    "create_expense",
    "update_expense",
    "delete_expense",
    "create_payment",
    "update_payment",
    "delete_payment",
    "create_in_kind",
    "delete_in_kind",
]


@pytest.mark.parametrize("call", SERVICE_CALLS)
def test_every_write_service_refuses_the_locked_period(locked, call):
    before = snapshot()
    with pytest.raises(ValidationError), transaction.atomic():
        _service_calls(locked)[call]()
    assert snapshot() == before
