from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from finance.models import Expense, Payment
from partnership.models import Agreement, Organisation
from partnership.validators import normalise_org_number
from reporting.models import Report
from visits import demo
from visits.models import Activity, Session, VisitorCount

pytestmark = pytest.mark.django_db


def test_demo_data_command(settings):
    today = timezone.localdate()
    call_command("demo_data", "--agreements", "2", stdout=open("/dev/null", "w"))
    seed = Agreement.objects.get(short_name="LivA", renews__isnull=True)
    renewed = Agreement.objects.get(renews=seed)
    assert renewed.start_date == date(today.year, 1, 1)
    assert renewed.end_date == date(today.year, 12, 31)
    assert "(förnyad" in renewed.title
    assert set(renewed.parties.values_list("organisation", "role")) == set(
        seed.parties.values_list("organisation", "role")
    )
    assert renewed.commitments.count() == seed.commitments.count()
    assert renewed.budget_total == sum(b.amount for b in renewed.budget_lines.all())
    assert all(renewed.contains(d.due_date) for d in renewed.deadlines.exclude(kind="close_out"))
    assert renewed.deadlines.get(kind="close_out").due_date > renewed.end_date
    assert not Session.objects.filter(date__gt=today).exists()
    assert seed.sessions.filter(date__gte=date(2020, 12, 1)).exists()
    # Every commitment has an activity; every activity type occurs.
    assert not seed.commitments.filter(activities__isnull=True).exists()
    assert set(seed.activities.values_list("type", flat=True)) == set(Activity.Type.values)
    synthetic = Agreement.objects.filter(short_name__startswith=demo.SYNTHETIC_PREFIX)
    assert synthetic.count() == 2
    assert all(s.sessions.exists() for s in synthetic)
    for org in Organisation.objects.filter(name__startswith="Förening"):
        assert normalise_org_number(org.org_number) == org.org_number
    # The finance app's demo money, for every agreement the command made.
    assert all(a.expenses.exists() and a.payments.exists() for a in [seed, renewed, *synthetic])
    # Every deadline has its report, those written in bulk too.
    assert (
        not Report.objects.exists()
        or not Agreement.objects.filter(deadlines__report__isnull=True).exists()
    )
    # A living system: the seed agreement's reports (2019–2021) are all approved, the renewed
    # agreement's past ones approved, returned and submitted, its later ones drafts.
    assert set(Report.objects.filter(agreement=seed).values_list("status", flat=True)) == {
        "approved"
    }
    # (Early in a year fewer of the renewed agreement's reports are due: the last due is
    # submitted, the one before it returned, the earlier ones approved.)
    past = (
        Report.objects.filter(agreement=renewed, deadline__due_date__lt=today)
        .exclude(deadline__kind="close_out")
        .order_by("deadline__due_date")
    )
    n = past.count()
    expected = (["approved"] * max(n - 2, 0) + ["returned", "submitted"])[-n:] if n else []
    assert list(past.values_list("status", flat=True)) == expected
    if today.month >= 10:  # the demo's year has its interim reports behind it
        assert {"approved", "returned", "submitted"} <= set(expected)
    assert Report.objects.filter(
        agreement=renewed, deadline__due_date__gte=today, status="draft"
    ).exists()
    # Each has its final report and its close-out.
    assert Report.objects.filter(agreement__in=synthetic).count() == 4

    def counts():
        models = (Session, VisitorCount, Activity, Agreement, Expense, Payment)
        return [m.objects.count() for m in models]

    before = counts()
    call_command("demo_data", "--agreements", "2", stdout=open("/dev/null", "w"))
    assert counts() == before
