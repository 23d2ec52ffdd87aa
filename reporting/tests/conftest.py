"""Logged data for one reporting period (2019-04-01 – 2019-08-31) of the root ``agreement``.

Visits by age band × gender (53 in all): under 18 – woman 3, man 10; 18–25 – woman 12, man 28.
The cell of 3 must show as "< 5". The public party's commitment has no activity."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from dialogue.models import ActionItem, Decision, LearningEntry, Meeting
from finance.models import Expense, Payment
from partnership.models import Commitment
from reporting.services import reports_of
from visits.models import Gender, PartnerOrganisation

from .factories import (
    ActivityFactory,
    AgeBandFactory,
    SessionFactory,
    VenueFactory,
    log_visits,
    open_on,
)

W, M = Gender.WOMAN, Gender.MAN


def make_logged_data(agreement, scale=1):
    venue = VenueFactory(agreement=agreement, name="Café")
    open_on(venue, 0, 2)  # Mondays and Wednesdays
    young = AgeBandFactory(agreement=agreement, label="under 18", order=0)
    adult = AgeBandFactory(agreement=agreement, label="18–25", order=1)
    first = SessionFactory(venue=venue, date=date(2019, 4, 1), volunteer_hours=Decimal("3.0"))
    log_visits(first, {(young, W): 3, (young, M): 10, (adult, W): 12, (adult, M): 20})
    second = SessionFactory(venue=venue, date=date(2019, 4, 3))
    log_visits(second, {(adult, M): 8})
    # More data that adds nothing to the visit counts, for query-count checks at scale.
    for i in range(1, scale):
        SessionFactory(venue=venue, date=date(2019, 5, 6) + timedelta(days=7 * i))
    association_commitment = Commitment.objects.get(agreement=agreement, party__role="idea_driven")
    red_cross, _ = PartnerOrganisation.objects.get_or_create(name="Röda korset")
    for i in range(scale):
        homework = ActivityFactory(
            agreement=agreement,
            date=date(2019, 5, 10) + timedelta(days=i),
            participants=6,
            coupons=4,
            volunteer_hours=Decimal("2.5"),
            commitments=[association_commitment],
        )
        homework.partners.add(red_cross)
        ActivityFactory(
            agreement=agreement,
            date=date(2019, 6, 1) + timedelta(days=i),
            type="lunch_coupons",
            coupons=10,
            referrals=2,
            commitments=[association_commitment],
        )
    staff_line, activities_line = agreement.budget_lines.order_by("order")
    for i in range(scale):
        Expense.objects.create(
            agreement=agreement,
            budget_line=staff_line,
            date=date(2019, 5, 1) + timedelta(days=i),
            amount=Decimal("50000"),
            description="Salaries",
        )
        Expense.objects.create(
            agreement=agreement,
            budget_line=activities_line,
            date=date(2019, 6, 1) + timedelta(days=i),
            amount=Decimal("7000"),
            description="Materials",
        )
        Payment.objects.create(
            agreement=agreement,
            date=date(2019, 4, 15) + timedelta(days=i),
            amount=Decimal("300000"),
        )
    # The dialogue, scaled too: a meeting with its decision and action item, and a lesson.
    parties = list(agreement.parties.select_related("organisation"))
    for i in range(scale):
        meeting = Meeting.objects.create(
            agreement=agreement, date=date(2019, 7, 1) + timedelta(days=i), kind="cooperation"
        )
        meeting.organisations.set([p.organisation for p in parties])
        Decision.objects.create(meeting=meeting, text="Agreed.")
        ActionItem.objects.create(agreement=agreement, meeting=meeting, text="Do", party=parties[0])
        LearningEntry.objects.create(
            agreement=agreement,
            date=date(2019, 7, 2) + timedelta(days=i),
            theme="needs",
            party=parties[0],
            text="Learnt.",
        )
    return venue


@pytest.fixture
def logged(agreement):
    return make_logged_data(agreement)


@pytest.fixture
def report(agreement):
    return next(r for r in reports_of(agreement) if r.deadline.kind == "interim")


@pytest.fixture
def final_report(agreement):
    return next(r for r in reports_of(agreement) if r.deadline.kind == "final")


@pytest.fixture
def fake_pdf(monkeypatch):
    """Stands in for WeasyPrint in workflow tests (it is slow); PDF tests use the real one.
    The bytes depend on the figures, so a frozen PDF differs from a later rendering."""
    from reporting.models import canonical_json

    def render(
        report_or_figures, language="sv", *, figures=None, narrative=None, version=None, reuse=False
    ):
        return b"%PDF-1.4 fake\n" + canonical_json([figures, narrative, language]).encode()

    # The views first: imported here for the first time, they would bind the stand-in of
    # reporting.pdf as their "original", and the stand-in would outlive the test.
    monkeypatch.setattr("reporting.views.render_report_pdf", render)
    monkeypatch.setattr("reporting.pdf.render_report_pdf", render)
    return render
