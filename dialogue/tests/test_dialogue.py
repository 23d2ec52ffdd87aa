"""The dialogue log and the learning log: both parties write and read, dates hold, an
approved period locks its meetings, decisions and lessons, and nothing reaches another
agreement's parties."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dialogue import services
from dialogue.models import ActionItem, Decision, LearningEntry, Meeting
from partnership.models import LockedPeriod

pytestmark = pytest.mark.django_db


def _meeting_data(agreement, **changes):
    organisations = [p.organisation_id for p in agreement.parties.all()]
    return {
        "date": "2019-06-10",
        "kind": "cooperation",
        "organisations": organisations,
        "minutes": "Went through the spring; the budget for activities is under-used.",
    } | changes


def test_the_coordinator_logs_a_meeting_with_a_decision_and_staff_close_the_action_item(
    coordinator_client, staff_client, agreement
):
    response = coordinator_client.post(
        reverse("dialogue:meeting_create", args=[agreement.pk]), _meeting_data(agreement)
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(agreement=agreement)
    assert meeting.organisations.count() == 2
    line = agreement.budget_lines.get(text="Activities")
    coordinator_client.post(
        reverse("dialogue:decision_create", args=[meeting.pk]),
        {"text": "The parties approve spending less on activities.", "budget_line": line.pk},
    )
    assert Decision.objects.get(meeting=meeting).budget_line == line
    association = agreement.parties.get(role="idea_driven")
    coordinator_client.post(
        reverse("dialogue:action_item_create", args=[meeting.pk]),
        {
            "text": "Plan the autumn's study visits",
            "party": association.pk,
            "due_date": "2019-08-31",
        },
    )
    item = ActionItem.objects.get(agreement=agreement)
    # The other party reads all of it, and marks the action item done.
    page = staff_client.get(reverse("dialogue:meeting_list", args=[agreement.pk])).content.decode()
    assert "The parties approve spending less on activities." in page
    assert "Plan the autumn" in page
    staff_client.post(reverse("dialogue:action_item_done", args=[item.pk]), {"done": "1"})
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"date": "2021-01-10"}, "inside the agreement period"),
        ({"date": "06/10/2019"}, "ÅÅÅÅ-MM-DD"),
        ({"kind": "party"}, "giltigt alternativ"),
    ],
)
def test_a_bad_meeting_is_refused_with_a_message_and_nothing_saved(
    staff_client, agreement, changes, message, settings
):
    settings.LANGUAGE_CODE = "sv"
    response = staff_client.post(
        reverse("dialogue:meeting_create", args=[agreement.pk]), _meeting_data(agreement, **changes)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page or message.replace("inside the agreement period", "inom") in page
    assert not Meeting.objects.exists()


def test_an_action_item_belongs_to_one_of_the_agreements_parties(agreement, other_agreement):
    outsider = other_agreement.parties.first()
    with pytest.raises(ValidationError, match="en av överenskommelsens parter"):
        services.save_action_item(agreement=agreement, text="x", party=outsider)
    assert not ActionItem.objects.exists()


def test_a_meeting_cannot_be_in_the_future(agreement, english):
    from partnership.services import change_period

    agreement = change_period(
        agreement=agreement, end_date=timezone.localdate() + timedelta(days=90)
    )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.save_meeting(
            agreement=agreement,
            date=timezone.localdate() + timedelta(days=1),
            kind=Meeting.Kind.OTHER,
        )


def test_an_approved_period_locks_its_meetings_decisions_and_lessons(
    agreement, staff_user, english
):
    meeting = services.save_meeting(agreement=agreement, date=date(2019, 5, 20), kind="follow_up")
    decision = services.save_decision(meeting=meeting, text="Agreed.")
    party = agreement.parties.get(role="idea_driven")
    lesson = services.save_learning_entry(
        agreement=agreement,
        party=party,
        user=staff_user,
        date=date(2019, 5, 21),
        theme="method",
        text="x",
    )
    LockedPeriod.objects.create(
        agreement=agreement,
        start_date=date(2019, 4, 1),
        end_date=date(2019, 8, 31),
        reason="approved",
    )
    with pytest.raises(ValidationError, match="locked"):
        services.save_meeting(agreement=agreement, meeting=meeting, minutes="changed")
    with pytest.raises(ValidationError, match="locked"):
        services.save_decision(meeting=meeting, decision=decision, text="changed")
    with pytest.raises(ValidationError, match="locked"):
        services.delete_learning_entry(entry=lesson)
    with pytest.raises(ValidationError, match="locked"), transaction.atomic():
        decision.delete()  # the last line: the lock registry, whatever the path
    # A meeting after the period is written as usual.
    services.save_meeting(agreement=agreement, date=date(2019, 9, 2), kind="follow_up")
    assert Decision.objects.get().text == "Agreed." and LearningEntry.objects.count() == 1


def test_a_lesson_is_written_in_the_name_of_the_users_party(coordinator_client, agreement):
    response = coordinator_client.post(
        reverse("dialogue:learning_list", args=[agreement.pk]),
        {"date": "2019-06-01", "theme": "cooperation", "text": "Meeting monthly works."},
    )
    assert response.status_code == 302
    entry = LearningEntry.objects.get()
    assert entry.party.role == "public"


def test_a_meeting_with_decisions_is_not_deleted(coordinator_client, agreement, settings):
    meeting = services.save_meeting(agreement=agreement, date=date(2019, 5, 20), kind="other")
    services.save_decision(meeting=meeting, text="Agreed.")
    response = coordinator_client.post(reverse("dialogue:meeting_delete", args=[meeting.pk]))
    assert response.status_code == 200
    assert Meeting.objects.filter(pk=meeting.pk).exists()
