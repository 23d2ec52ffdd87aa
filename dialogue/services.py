"""Writes of the dialogue log and the learning log: small keyword-only functions, one
transaction each. Meetings and lessons are dated inside the agreement, not after today, and
not in an approved (locked) period; decisions follow their meeting's date."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership import amendments
from partnership.models import Agreement, ReportingDeadline
from partnership.services import assert_date_unlocked, assert_date_writable, change_period

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


@transaction.atomic
def extend_agreement(
    *,
    agreement,
    end_date,
    meeting,
    decision_text,
    budget=None,
    months=None,
    interim_deadlines=(),
    user=None,
    today=None,
):
    """Extend (*förlänga*) an active agreement to ``end_date``, as the parties agreed in
    ``meeting`` (a meeting of the agreement at which the idea-driven party was present): the
    staff's agreement is recorded there as a decision (``decision_text``); the budget for the
    longer period is new amounts per line (``budget``: {budget line: amount}) or, for a
    personnel line built from staff positions, positions × months (``months``: {position:
    months}), as ``partnership.amendments.change_budget`` applies them (the total follows the
    lines); ``interim_deadlines`` adds (period start, period end, due date)
    deadlines. The period moves through ``partnership.services.change_period`` (the one
    deadline service: the final report and the close-out due relative to the end move with
    it). The whole change is recorded as an amendment, which the decision names. Refused,
    nothing changed, when the new end is not later than both the current end and today, or a
    deadline falls outside the new period.

    This service lives in the dialogue app because it writes both the dialogue (the
    decision) and the agreement: partnership may not import dialogue, and dialogue imports
    partnership."""
    today = today or timezone.localdate()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Agreement.Status.ACTIVE:
        raise ValidationError(_("Only an active agreement can be extended."))
    old_end = agreement.end_date
    if end_date <= old_end or end_date <= today:
        raise ValidationError(
            {
                "end_date": _(
                    "The new end date must be later than the current end (%(end)s) and than today."
                )
                % {"end": old_end.isoformat()}
            }
        )
    if meeting.agreement_id != agreement.pk:
        raise ValidationError({"meeting": _("The meeting must belong to the same agreement.")})
    idea = agreement.parties.filter(role="idea_driven").values_list("organisation", flat=True)
    if not meeting.organisations.filter(pk__in=idea).exists():
        raise ValidationError(
            {
                "meeting": _(
                    "The association was not present at this meeting: the extension needs its "
                    "agreement."
                )
            }
        )
    before_due = amendments.due_dates(agreement)
    agreement = change_period(agreement=agreement, end_date=end_date)
    recorded = [amendments.period_change("end_date", old_end, end_date)]
    recorded += amendments.moved_deadlines(agreement, before_due)
    budget_changes = amendments.change_budget(agreement, amounts=budget, months=months, user=user)
    recorded += budget_changes
    added = []
    for period_start, period_end, due_date in interim_deadlines:
        deadline = ReportingDeadline(
            agreement=agreement,
            kind=ReportingDeadline.Kind.INTERIM,
            period_start=period_start,
            period_end=period_end,
            due_date=due_date,
        )
        try:
            deadline.full_clean()
        except ValidationError as error:
            raise ValidationError(
                [_("The new interim report: %(problem)s") % {"problem": m} for m in error.messages]
            ) from None
        deadline.save()
        added.append(deadline)
    changes = [
        _("The agreement is extended: it ends %(new)s instead of %(old)s.")
        % {"new": end_date.isoformat(), "old": old_end.isoformat()}
    ]
    changes += [amendments.describe(change) for change in budget_changes]
    changes += [
        _("New interim report for %(start)s – %(end)s, due %(due)s.")
        % {
            "start": d.period_start.isoformat(),
            "end": d.period_end.isoformat(),
            "due": d.due_date.isoformat(),
        }
        for d in added
    ]
    recorded += amendments.new_deadline_changes(added)
    amendment = amendments.create_amendment(
        agreement=agreement,
        title=_("Extension to %(end)s") % {"end": end_date.isoformat()},
        text="\n".join(changes),
        date=today,
        changes=recorded,
        user=user,
    )
    decision = save_decision(
        meeting=meeting,
        text=_("%(decision)s (%(amendment)s)")
        % {"decision": decision_text.strip(), "amendment": amendment},
    )
    return amendment, decision
