"""Writes of the dialogue log and the learning log: small keyword-only functions, one
transaction each. Meetings and lessons are dated inside the agreement, not after today, and
not in an approved (locked) period; decisions follow their meeting's date."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.services import assert_date_unlocked, assert_date_writable

from .models import ActionItem, Decision, LearningEntry, Meeting


def _stored_unlocked(row):
    """A row already saved may be changed only while its stored date is unlocked."""
    if row.pk is not None:
        stored = type(row).objects.filter(pk=row.pk).values_list("date", flat=True).first()
        assert_date_unlocked(agreement=row.agreement_id, day=stored)


def _write(row, **fields):
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def save_meeting(*, agreement, meeting=None, organisations=(), user=None, **fields):
    """Create (``meeting`` None) or change a meeting and who was present."""
    if meeting is None:
        meeting = Meeting(agreement=agreement, created_by=user)
    _stored_unlocked(meeting)
    assert_date_writable(agreement=agreement, day=fields.get("date", meeting.date))
    _write(meeting, **fields)
    meeting.organisations.set(organisations)
    return meeting


@transaction.atomic
def delete_meeting(*, meeting):
    assert_date_unlocked(agreement=meeting.agreement_id, day=meeting.date)
    try:
        meeting.delete()
    except ProtectedError:
        raise ValidationError(
            _("The meeting has decisions or action items: delete those first.")
        ) from None


@transaction.atomic
def save_decision(*, meeting, decision=None, **fields):
    assert_date_unlocked(agreement=meeting.agreement_id, day=meeting.date)
    return _write(decision or Decision(meeting=meeting), **fields)


@transaction.atomic
def delete_decision(*, decision):
    assert_date_unlocked(agreement=decision.meeting.agreement_id, day=decision.meeting.date)
    decision.delete()


@transaction.atomic
def save_action_item(*, agreement, item=None, **fields):
    return _write(item or ActionItem(agreement=agreement), **fields)


@transaction.atomic
def set_action_item_done(*, item, done: bool):
    """Mark the action item done today, or open again."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.done_on = timezone.localdate() if done else None
    item.save(update_fields=["done_on"])
    return item


@transaction.atomic
def delete_action_item(*, item):
    item.delete()


@transaction.atomic
def save_learning_entry(*, agreement, entry=None, party=None, user=None, **fields):
    if entry is None:
        entry = LearningEntry(agreement=agreement, party=party, created_by=user)
    _stored_unlocked(entry)
    assert_date_writable(agreement=agreement, day=fields.get("date", entry.date))
    return _write(entry, **fields)


@transaction.atomic
def delete_learning_entry(*, entry):
    assert_date_unlocked(agreement=entry.agreement_id, day=entry.date)
    entry.delete()
