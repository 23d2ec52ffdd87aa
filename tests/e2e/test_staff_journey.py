"""Journey (a): staff on a phone open today's session at Café Tingshuset from the home page,
tap in ten visitors (two of them with the keyboard) and log an activity against a
commitment."""

import io
import re
from datetime import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from partnership.models import Agreement
from partnership.tests.factories import UserFactory
from visits.models import Activity, OpeningHours, Session, VisitorCount

from .conftest import sv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAFE = "Café Tingshuset"


@pytest.fixture
def renewed_agreement():
    """The demo data: the seed agreement and its renewal running this year, with a year of
    logs. The café has just opened today: no visitor is counted yet."""
    call_command("demo_data", stdout=io.StringIO())
    renewed = Agreement.objects.get(renews__isnull=False)
    today = timezone.localdate()
    cafe = renewed.venues.get(name=CAFE)
    # Whatever the weekday the tests run on, the café opens today.
    OpeningHours.objects.get_or_create(
        venue=cafe, weekday=today.weekday(), defaults={"opens": time(10), "closes": time(16)}
    )
    VisitorCount.objects.filter(session__venue=cafe, session__date=today).delete()
    return renewed


@pytest.fixture
def staff(renewed_agreement):
    organisation = renewed_agreement.parties.get(role="idea_driven").organisation
    user = UserFactory(username="staff", first_name="Sara", organisation=organisation)
    user.groups.add(Group.objects.get(name="staff"))
    return user


def _counted(session):
    return VisitorCount.objects.filter(session=session).aggregate(n=Sum("count"))["n"] or 0


def test_staff_count_ten_visitors_and_log_an_activity_on_a_phone(phone, renewed_agreement, staff):
    page = phone.page
    today = timezone.localdate()

    phone.log_in(staff.username)
    assert page.url == phone.url(reverse("home"))
    phone.step("home")

    # One tap on the home page opens today's session at the café.
    with page.expect_navigation():
        page.get_by_role("button", name=CAFE).click()
    session = Session.objects.get(agreement=renewed_agreement, venue__name=CAFE, date=today)
    assert page.url == phone.url(reverse("visits:tally", args=[session.pk]))
    total = page.locator("#tally-total")
    expect(total).to_have_text("0")
    phone.step("tally")

    plus = page.locator("button.tally-plus")
    assert plus.count() >= 2
    # Eight taps with a finger, spread over two cells; each is saved before the next.
    for n, button in enumerate([plus.nth(0)] * 5 + [plus.nth(1)] * 3, start=1):
        button.tap() if phone.has_touch else button.click()
        expect(total).to_have_text(str(n))
    phone.step("eight taps")

    # Two with the keyboard: Tab to a +1 button, Enter; then Space on the same button.
    page.locator("h1").click()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tally-plus')"):
            break
    else:
        pytest.fail("Tab never reached a +1 button")
    # Its accessible name starts with the visible "+1" and names the cell.
    expect(page.locator(":focus")).to_have_accessible_name(re.compile(r"^\+1 \S.+"))
    page.keyboard.press("Enter")
    expect(total).to_have_text("9")
    page.keyboard.press("Space")
    expect(total).to_have_text("10")
    phone.step("ten visitors")
    assert _counted(session) == 10

    # The total survives a reload: it is the database's.
    page.reload()
    expect(total).to_have_text("10")

    # An activity against one of the association's commitments. On a phone the agreement's
    # tabs are a menu of one line: open it first.
    page.locator("details.agreement-menu > summary").tap()
    with page.expect_navigation():
        page.get_by_role("link", name=sv("Activities"), exact=True).click()
    phone.step("activities")
    with page.expect_navigation():
        page.get_by_role("link", name=sv("New activity"), exact=True).click()
    phone.step("new activity")
    commitment = renewed_agreement.commitments.filter(party__role="idea_driven").first()
    page.locator("select[name=type]").select_option("homework_help")
    page.locator(f"input[name=commitments][value='{commitment.pk}']").check()
    page.fill("input[name=participants]", "7")
    assert page.locator("input[name=date]").input_value() == today.isoformat()
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save"), exact=True).click()
    assert sv("The activity was saved.") in page.inner_text("main")
    phone.step("activity saved")
    activity = Activity.objects.filter(agreement=renewed_agreement, date=today).latest("pk")
    assert activity.participants == 7 and activity.type == "homework_help"
    assert list(activity.commitments.all()) == [commitment]
