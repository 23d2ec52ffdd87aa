"""Issue 21: the agreement's life. A draft takes no logs, an active agreement runs, an ended
one is read-only except its reports; every change of status is recorded (who, when, why);
a renewal copies the agreement into a new draft linked to its predecessor."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from finance import services as finance
from finance.models import Expense, InKindContribution, Payment
from partnership import lifecycle
from partnership.models import (
    Agreement,
    Goal,
    Indicator,
    Party,
    ReportingDeadline,
    StaffPosition,
    StatusChange,
)
from reporting.models import Report
from reporting.services import update_narrative
from visits import services as visits
from visits.models import Activity, AgeBand, OpeningHours, Session, Venue, VisitorCount

pytestmark = pytest.mark.django_db

DAY = date(2019, 5, 6)  # inside the factory agreement's period (2019-04-01 – 2020-12-31)
AFTER_END = date(2021, 1, 1)


@pytest.fixture(autouse=True)
def _in_english(english):
    """Messages are matched in English."""


def set_status(agreement, status):
    """Put ``agreement`` in ``status`` as a test's starting point (not how users do it)."""
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def venue(agreement):
    return Venue.objects.create(agreement=agreement, name="Café", kind=Venue.Kind.MEETING_PLACE)


@pytest.fixture
def session(agreement, venue):
    return visits.create_session(
        agreement=agreement, venue=venue, date=DAY, start_time=time(15), end_time=time(20)
    )


# --- Transitions -------------------------------------------------------------------------


def test_a_new_agreement_is_a_draft():
    agreement = Agreement(title="T", short_name="T", start_date=DAY, end_date=AFTER_END)
    assert agreement.status == Agreement.Status.DRAFT


def test_activating_a_draft_is_recorded_with_who_and_when(agreement, coordinator):
    set_status(agreement, "draft")
    change = lifecycle.activate(agreement=agreement, user=coordinator, note="Signed")
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "draft",
        "active",
        coordinator,
        "Signed",
    )
    assert change.changed_at is not None
    latest = agreement.history.first()
    assert (latest.status, latest.history_user) == ("active", coordinator)


def test_a_draft_without_both_kinds_of_party_is_not_activated(agreement, coordinator):
    set_status(agreement, "draft")
    agreement.parties.get(role="public").commitments.all().delete()
    agreement.parties.get(role="public").delete()
    with pytest.raises(ValidationError, match="one public and one idea-driven party"):
        lifecycle.activate(agreement=agreement, user=coordinator)
    agreement.refresh_from_db()
    assert agreement.status == "draft" and not StatusChange.objects.exists()


def test_a_draft_whose_budget_does_not_add_up_is_not_activated(agreement, coordinator, english):
    set_status(agreement, "draft")
    Agreement.objects.filter(pk=agreement.pk).update(budget_total=Decimal("999999"))
    with pytest.raises(ValidationError, match="budget lines add up to"):
        lifecycle.activate(agreement=agreement, user=coordinator)
    assert Agreement.objects.get(pk=agreement.pk).status == "draft"


def test_an_agreement_is_ended_only_after_its_end_date(agreement, coordinator):
    with pytest.raises(ValidationError, match="runs until 2020-12-31"):
        lifecycle.end(agreement=agreement, user=coordinator, today=agreement.end_date)
    assert Agreement.objects.get(pk=agreement.pk).status == "active"
    change = lifecycle.end(agreement=agreement, user=coordinator, today=AFTER_END)
    assert (change.from_status, change.to_status) == ("active", "ended")
    assert Agreement.objects.get(pk=agreement.pk).status == "ended"


def test_reopening_an_ended_agreement_needs_a_note(agreement, coordinator):
    set_status(agreement, "ended")
    with pytest.raises(ValidationError, match="Say why"):
        lifecycle.reopen(agreement=agreement, user=coordinator, note="  ")
    assert Agreement.objects.get(pk=agreement.pk).status == "ended"
    change = lifecycle.reopen(agreement=agreement, user=coordinator, note="A late expense")
    assert (change.from_status, change.to_status, change.note) == (
        "ended",
        "active",
        "A late expense",
    )


@pytest.mark.parametrize(
    "start, to",
    [("draft", "ended"), ("active", "draft"), ("ended", "draft"), ("active", "active")],
)
def test_no_other_change_of_status_is_allowed(agreement, coordinator, start, to):
    set_status(agreement, start)
    with pytest.raises(ValidationError, match="cannot become"):
        lifecycle.change_status(agreement=agreement, to_status=to, user=coordinator)
    assert Agreement.objects.get(pk=agreement.pk).status == start
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize(
    "change, start", [("activate", "active"), ("end", "draft"), ("reopen", "draft")]
)
def test_each_change_starts_from_its_own_status(agreement, coordinator, change, start):
    set_status(agreement, start)
    with pytest.raises(ValidationError):
        getattr(lifecycle, change)(agreement=agreement, user=coordinator, note="x", today=AFTER_END)
    assert Agreement.objects.get(pk=agreement.pk).status == start


def test_the_database_refuses_an_unknown_status(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status="paused")


# --- What a draft and an ended agreement refuse ------------------------------------------


@pytest.fixture(params=["draft", "ended"])
def closed(request, agreement, venue):
    """The agreement as a draft or ended, with a venue and age band."""
    AgeBand.objects.create(agreement=agreement, label="Band", order=1)
    return set_status(agreement, request.param)


def _message(error):
    return " ".join(error.value.messages)


def test_no_session_on_a_draft_or_ended_agreement(closed, venue):
    with pytest.raises(ValidationError) as error:
        visits.create_session(
            agreement=closed, venue=venue, date=DAY, start_time=time(15), end_time=time(20)
        )
    assert ("still a draft" if closed.status == "draft" else "has ended") in _message(error)
    with pytest.raises(ValidationError):  # not through the model either (admin, a shell)
        Session.objects.create(
            agreement=closed, venue=venue, date=DAY, start_time=time(15), end_time=time(20)
        )
    assert not Session.objects.exists()


def test_no_tally_and_no_count_on_a_draft_or_ended_agreement(agreement, venue, session):
    band = agreement.age_bands.first()  # the default bands of the first session
    visits.increment_count(session=session, age_band=band, gender="man", delta=1)
    for status in ("draft", "ended"):
        set_status(agreement, status)
        session.refresh_from_db()
        with pytest.raises(ValidationError):
            visits.increment_count(session=session, age_band=band, gender="man", delta=1)
        with pytest.raises(ValidationError):
            VisitorCount.objects.create(session=session, age_band=band, gender="woman", count=1)
        with pytest.raises(ValidationError):
            visits.update_session(session=session, note="changed")
        with pytest.raises(ValidationError):
            visits.delete_session(session=session)
    assert VisitorCount.objects.get(session=session).count == 1
    assert Session.objects.get(pk=session.pk).note == ""


def test_no_activity_on_a_draft_or_ended_agreement(closed):
    with pytest.raises(ValidationError):
        visits.create_activity(
            agreement=closed,
            commitments=list(closed.commitments.all()[:1]),
            date=DAY,
            type=Activity.Type.HOMEWORK_HELP,
            participants=3,
        )
    with pytest.raises(ValidationError):
        Activity.objects.create(
            agreement=closed, date=DAY, type=Activity.Type.HOMEWORK_HELP, participants=3
        )
    assert not Activity.objects.exists()


def test_no_money_on_a_draft_or_ended_agreement(closed):
    line = closed.budget_lines.first()
    with pytest.raises(ValidationError):
        finance.create_expense(
            agreement=closed, budget_line=line, date=DAY, amount=Decimal("100"), description="x"
        )
    with pytest.raises(ValidationError):
        finance.create_payment(agreement=closed, date=DAY, amount=Decimal("1000"))
    with pytest.raises(ValidationError):
        finance.create_in_kind(
            agreement=closed,
            party=closed.parties.get(role="idea_driven"),
            kind=InKindContribution.Kind.VOLUNTEER,
            date=DAY,
            hours=Decimal("2"),
        )
    with pytest.raises(ValidationError):
        Payment.objects.create(agreement=closed, date=DAY, amount=Decimal("1000"))
    assert not (
        Expense.objects.exists() or Payment.objects.exists() or InKindContribution.objects.exists()
    )


def test_an_ended_agreement_keeps_its_logs_read_only(agreement, session):
    activity = visits.create_activity(
        agreement=agreement,
        commitments=list(agreement.commitments.all()[:1]),
        date=DAY,
        type=Activity.Type.HOMEWORK_HELP,
        participants=3,
    )
    set_status(agreement, "ended")
    with pytest.raises(ValidationError):
        visits.delete_activity(activity=activity)
    with pytest.raises(ValidationError), transaction.atomic():
        Activity.objects.get(pk=activity.pk).delete()  # Django admin's way
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_an_ended_agreement_still_takes_its_reports(agreement):
    set_status(agreement, "ended")
    close_out = Report.objects.get(deadline__agreement=agreement, deadline__kind="close_out")
    update_narrative(report=close_out, data={"summary": "The money's outcome."})
    assert Report.objects.get(pk=close_out.pk).summary == "The money's outcome."


def test_an_active_agreement_takes_logs_again_after_reopening(agreement, venue, coordinator):
    set_status(agreement, "ended")
    lifecycle.reopen(agreement=agreement, user=coordinator, note="Correction")
    session = visits.create_session(
        agreement=agreement, venue=venue, date=DAY, start_time=time(15), end_time=time(20)
    )
    assert session.pk


# --- The coordinator's pages -------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_activates_a_draft_on_its_page(agreement, coordinator):
    set_status(agreement, "draft")
    client = _client(coordinator)
    page = client.get(f"/agreements/{agreement.pk}/")
    assert "This agreement is a draft" in page.content.decode()
    url = f"/agreements/{agreement.pk}/activate/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Signed on 15 December"})
    assert response.status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).status == "active"
    change = StatusChange.objects.get()
    assert (change.changed_by, change.note) == (coordinator, "Signed on 15 December")
    assert "Signed on 15 December" in client.get(f"/agreements/{agreement.pk}/").content.decode()


def test_the_end_page_says_why_it_cannot_end_yet(coordinator, agreement, english):
    agreement.end_date = date.today() + timedelta(days=30)
    agreement.save()
    client = _client(coordinator)
    body = client.get(f"/agreements/{agreement.pk}/end/").content.decode()
    assert "it can be ended after that day" in body
    assert client.post(f"/agreements/{agreement.pk}/end/").status_code == 200
    assert Agreement.objects.get(pk=agreement.pk).status == "active"


def test_reopening_on_its_page_needs_the_note(agreement, coordinator, english):
    set_status(agreement, "ended")
    client = _client(coordinator)
    url = f"/agreements/{agreement.pk}/reopen/"
    assert "Say why" in client.post(url, {"note": ""}).content.decode()
    assert Agreement.objects.get(pk=agreement.pk).status == "ended"
    assert client.post(url, {"note": "Late invoice"}).status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).status == "active"


@pytest.mark.parametrize("action", ["activate", "end", "reopen", "renew"])
def test_staff_and_outsiders_cannot_change_the_agreements_life(
    agreement, staff_user, outsider_coordinator, action
):
    set_status(agreement, "draft")
    url = f"/agreements/{agreement.pk}/{action}/"
    assert _client(staff_user).post(url, {"note": "x"}).status_code == 403
    assert _client(outsider_coordinator).post(url, {"note": "x"}).status_code == 404
    assert Agreement.objects.get(pk=agreement.pk).status == "draft"
    assert Agreement.objects.count() == 2  # no renewal


def test_staff_read_a_draft_but_cannot_log_on_it(agreement, staff_user, venue):
    set_status(agreement, "draft")
    client = _client(staff_user)
    assert client.get(f"/agreements/{agreement.pk}/").status_code == 200
    response = client.post(
        f"/visits/{agreement.pk}/sessions/new/",
        {
            "venue": venue.pk,
            "date": "2019-05-06",
            "start_time": "15:00",
            "end_time": "20:00",
            "staff_on_duty": 2,
            "volunteers_on_duty": 0,
            "volunteer_hours": 0,
            "new_visitors": 0,
        },
    )
    assert response.status_code == 200
    assert "still a draft" in response.content.decode()
    assert not Session.objects.exists()


# --- Renewal -----------------------------------------------------------------------------


def test_a_renewal_copies_the_agreement_into_a_draft(agreement, coordinator, venue):
    OpeningHours.objects.create(venue=venue, weekday=0, opens=time(15), closes=time(20))
    AgeBand.objects.create(agreement=agreement, label="18–20", min_age=18, max_age=20, order=1)
    goal = Goal.objects.create(agreement=agreement, text="Inclusion", order=1)
    Indicator.objects.create(goal=goal, name="Visits", unit="per week", origin="visits_per_week")
    StaffPosition.objects.create(
        budget_line=agreement.budget_lines.get(text="Staff"),
        title="Coordinator",
        monthly_cost=Decimal("40000"),
        months=20,
    )
    visits.create_session(
        agreement=agreement, venue=venue, date=DAY, start_time=time(15), end_time=time(20)
    )
    renewal = lifecycle.renew(
        agreement=agreement,
        start_date=date(2021, 1, 1),
        end_date=date(2022, 12, 31),
        user=coordinator,
    )
    assert (renewal.status, renewal.renews, renewal.title) == ("draft", agreement, agreement.title)
    assert set(renewal.parties.values_list("organisation", "role")) == set(
        agreement.parties.values_list("organisation", "role")
    )
    assert sorted(renewal.commitments.values_list("party__role", "text")) == sorted(
        agreement.commitments.values_list("party__role", "text")
    )
    assert list(renewal.budget_lines.values_list("text", "amount")) == list(
        agreement.budget_lines.values_list("text", "amount")
    )
    assert renewal.budget_total == agreement.budget_total
    assert renewal.budget_lines.get(text="Staff").positions.get().title == "Coordinator"
    assert renewal.goals.get().indicators.get().name == "Visits"
    new_venue = renewal.venues.get()
    assert new_venue.name == "Café" and new_venue.opening_hours.count() == 1
    assert list(renewal.age_bands.values_list("label", flat=True)) == ["18–20"]
    assert not renewal.sessions.exists()  # logs stay with the predecessor
    kinds = set(renewal.deadlines.values_list("kind", flat=True))
    assert {"final", "close_out"} <= kinds
    assert all(renewal.contains(d.due_date) for d in renewal.deadlines.exclude(kind="close_out"))
    assert renewal.history.first().history_user == coordinator
    # A draft: nothing logged on it until it is activated.
    with pytest.raises(ValidationError):
        visits.create_session(
            agreement=renewal,
            venue=new_venue,
            date=date(2021, 1, 4),
            start_time=time(15),
            end_time=time(20),
        )
    lifecycle.activate(agreement=renewal, user=coordinator)
    assert Agreement.objects.get(pk=renewal.pk).status == "active"


def test_a_renewal_needs_a_valid_period(agreement):
    with pytest.raises(ValidationError):
        lifecycle.renew(agreement=agreement, start_date=date(2022, 1, 1), end_date=date(2021, 1, 1))
    assert Agreement.objects.count() == 1


def test_the_coordinator_renews_on_its_page(agreement, coordinator):
    client = _client(coordinator)
    url = f"/agreements/{agreement.pk}/renew/"
    page = client.get(url).content.decode()
    assert 'value="2021-01-01"' in page  # the day after the end, for as long again
    response = client.post(url, {"start_date": "2021-01-01", "end_date": "2022-08-31"})
    renewal = Agreement.objects.get(renews=agreement)
    assert response.status_code == 302 and response.url == renewal.get_absolute_url()
    assert (renewal.start_date, renewal.end_date, renewal.status) == (
        date(2021, 1, 1),
        date(2022, 8, 31),
        "draft",
    )
    assert Party.objects.filter(agreement=renewal).count() == 2
    detail = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert renewal.get_absolute_url() in detail


def test_the_renewal_page_refuses_a_bad_period(agreement, coordinator, english):
    client = _client(coordinator)
    response = client.post(
        f"/agreements/{agreement.pk}/renew/", {"start_date": "2022-01-01", "end_date": "2021-01-01"}
    )
    assert "The end date must be after the start date." in response.content.decode()
    assert not Agreement.objects.filter(renews=agreement).exists()
    assert ReportingDeadline.objects.filter(agreement__renews=agreement).count() == 0
