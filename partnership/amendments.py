"""Amendments (*tilläggsbilagor*) that say what they change: each changed term is an
``AmendmentChange`` with its value before and after, captured when the amendment is made.

``amend`` is the coordinator's amendment by hand: new dates of the period, new texts of prose
sections and commitments, new amounts of budget lines, applied in one transaction with the
amendment (all or nothing). The extension (``dialogue.services.extend_agreement``) records its
changes with the helpers below too.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_sek
from core.text import shorten

from .models import Agreement, Amendment, AmendmentChange
from .services import assert_date_not_future, change_period

Kind = AmendmentChange.Kind


def next_number(agreement) -> int:
    return (agreement.amendments.aggregate(n=Max("number"))["n"] or 0) + 1


def period_change(field, before, after) -> AmendmentChange:
    return AmendmentChange(kind=Kind.PERIOD, field=field, date_before=before, date_after=after)


def section_change(field, before, after) -> AmendmentChange:
    return AmendmentChange(kind=Kind.SECTION, field=field, text_before=before, text_after=after)


def commitment_change(commitment, before, after) -> AmendmentChange:
    return AmendmentChange(
        kind=Kind.COMMITMENT,
        commitment=commitment,
        term=commitment.short_text,
        text_before=before,
        text_after=after,
    )


def budget_line_change(line, before, after) -> AmendmentChange:
    return AmendmentChange(
        kind=Kind.BUDGET_LINE,
        budget_line=line,
        term=line.text,
        amount_before=before,
        amount_after=after,
    )


def position_change(position, before, after) -> AmendmentChange:
    return AmendmentChange(
        kind=Kind.POSITION,
        position=position,
        budget_line=position.budget_line,
        term=shorten(f"{position.budget_line.text}: {position.title}", 300),
        months_before=before,
        months_after=after,
    )


def budget_total_change(before, after) -> AmendmentChange:
    return AmendmentChange(kind=Kind.BUDGET_TOTAL, amount_before=before, amount_after=after)


def deadline_change(deadline, before) -> AmendmentChange:
    """A deadline's due date moved from ``before``, or a new deadline (``before`` None)."""
    return AmendmentChange(
        kind=Kind.DEADLINE,
        deadline=deadline,
        field=deadline.kind,
        term=f"{deadline.period_start:%Y-%m-%d} – {deadline.period_end:%Y-%m-%d}",
        date_before=before,
        date_after=deadline.due_date,
    )


def due_dates(agreement) -> dict:
    """{deadline pk: due date} of the agreement's deadlines, to see which moved."""
    return dict(agreement.deadlines.values_list("pk", "due_date"))


def moved_deadlines(agreement, before: dict) -> list[AmendmentChange]:
    """A change for each deadline that existed in ``before`` ({pk: due date}) and is now due
    on another day (those due relative to the end move with the period)."""
    return [
        deadline_change(deadline, before[deadline.pk])
        for deadline in agreement.deadlines.filter(pk__in=before)
        if deadline.due_date != before[deadline.pk]
    ]


def create_amendment(*, agreement, title, text, date, changes, user=None) -> Amendment:
    """The amendment (numbered next) with its ``changes`` (unsaved ``AmendmentChange`` rows).
    Called inside the transaction that made the changes."""
    amendment = Amendment(
        agreement=agreement, number=next_number(agreement), date=date, title=title, text=text
    )
    amendment.full_clean()
    amendment._history_user = user
    amendment.save()
    for order, change in enumerate(changes):
        change.amendment = amendment
        change.order = order
        change.full_clean()
        change._history_user = user
        change.save()
    return amendment


def _save(row, fields, *, key, user):
    """Save ``fields`` of ``row`` after its model's own checks (a refusal keyed by ``key``,
    the form field that shows it), recorded in its history as ``user``'s."""
    try:
        row.full_clean()
    except ValidationError as error:
        raise ValidationError({key: error.messages}) from None
    row._history_user = user
    row.save(update_fields=fields)


def _refuse_cutting_a_locked_period(agreement, start, end):
    """An approved (locked) period stays inside the agreement: the period may not be cut so
    that its approved report would cover days outside it."""
    for locked in agreement.locked_periods.all():
        if locked.start_date < start or locked.end_date > end:
            raise ValidationError(
                {
                    "start_date" if locked.start_date < start else "end_date": _(
                        "The period %(period)s has an approved report and is locked: the new "
                        "period must still cover it."
                    )
                    % {"period": locked}
                }
            )


@transaction.atomic
def amend(
    *,
    agreement,
    title,
    text,
    date=None,
    start_date=None,
    end_date=None,
    sections=None,
    commitments=None,
    budget=None,
    months=None,
    user=None,
) -> Amendment:
    """Amend a draft or active ``agreement``: the period to ``start_date``/``end_date`` (None:
    unchanged), ``sections`` {field name: new text}, ``commitments`` {commitment: new text},
    ``budget`` and ``months`` as ``change_budget`` takes them. Only what differs is changed
    and recorded. Refused, nothing changed, when the agreement has ended, a value is
    invalid, a deadline would fall outside the new period, or an approved period would be
    cut. Errors are keyed by ``start_date``, ``end_date``, ``sections``, ``commitments`` and
    ``budget``."""
    date = date or timezone.localdate()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == Agreement.Status.ENDED:
        raise ValidationError(_("An ended agreement cannot be amended; reopen it first."))
    assert_date_not_future(day=date)
    changes = []

    period = {}
    if start_date is not None and start_date != agreement.start_date:
        period["start_date"] = start_date
    if end_date is not None and end_date != agreement.end_date:
        period["end_date"] = end_date
    if period:
        start = period.get("start_date", agreement.start_date)
        end = period.get("end_date", agreement.end_date)
        _refuse_cutting_a_locked_period(agreement, start, end)
        before_due = due_dates(agreement)
        old = {name: getattr(agreement, name) for name in period}
        agreement = change_period(agreement=agreement, **period)
        changes += [period_change(name, old[name], value) for name, value in period.items()]
        changes += moved_deadlines(agreement, before_due)

    if set(sections or {}) - set(Agreement.SECTION_FIELDS):
        raise ValidationError({"sections": _("Choose a section of the agreement.")})
    section_values = {
        name: value for name, value in (sections or {}).items() if getattr(agreement, name) != value
    }
    if section_values:
        changes += [
            section_change(name, getattr(agreement, name), value)
            for name, value in section_values.items()
        ]
        for name, value in section_values.items():
            setattr(agreement, name, value)
        _save(agreement, list(section_values), key="sections", user=user)

    for commitment, value in (commitments or {}).items():
        if commitment.agreement_id != agreement.pk:
            raise ValidationError(
                {"commitments": _("The commitment must belong to the agreement.")}
            )
        if commitment.text == value:
            continue
        changes.append(commitment_change(commitment, commitment.text, value))
        commitment.text = value
        _save(commitment, ["text"], key="commitments", user=user)

    changes += change_budget(agreement, amounts=budget, months=months, user=user)

    return create_amendment(
        agreement=agreement, title=title, text=text, date=date, changes=changes, user=user
    )


def new_deadline_changes(deadlines) -> list[AmendmentChange]:
    """A change for each deadline an amendment adds."""
    return [deadline_change(deadline, None) for deadline in deadlines]


def change_budget(agreement, *, amounts=None, months=None, user=None) -> list[AmendmentChange]:
    """Change the budget of ``agreement`` (locked for update by the caller, inside its
    transaction): ``amounts`` {budget line: new amount} for lines of their own, ``months``
    {staff position: months} for the positions a personnel line is built from (count × FTE ×
    monthly cost × months: the line then costs what its positions cost). The total follows
    the lines. Returns the changes to record (unsaved): each position, each line, the total.
    Refused, keyed by ``budget``, for a line or position of another agreement or an amount
    given for a line built from positions."""
    changes = []
    lines = {}
    for position, value in (months or {}).items():
        line = position.budget_line
        if line.agreement_id != agreement.pk:
            raise ValidationError({"budget": _("The budget lines must belong to the agreement.")})
        if position.months == value:
            continue
        changes.append(position_change(position, position.months, value))
        position.months = value
        _save(position, ["months"], key="budget", user=user)
        lines.setdefault(line.pk, (line, line.amount, True))
    for line, amount in (amounts or {}).items():
        if line.agreement_id != agreement.pk:
            raise ValidationError({"budget": _("The budget lines must belong to the agreement.")})
        if line.amount == amount:
            continue
        if line.positions.exists():
            raise ValidationError(
                {
                    "budget": _(
                        "The budget line “%(line)s” is built from staff positions: change their "
                        "months, its amount follows."
                    )
                    % {"line": line.text}
                }
            )
        lines[line.pk] = (line, line.amount, False)
        line.amount = amount
    for line, before, from_positions in lines.values():
        if from_positions:
            line.amount = line.positions_total()
        if line.amount == before:
            continue
        changes.append(budget_line_change(line, before, line.amount))
        _save(line, ["amount"], key="budget", user=user)
    if lines:
        old_total = agreement.budget_total
        agreement.budget_total = agreement.budget_lines_total()
        if agreement.budget_total != old_total:
            changes.append(budget_total_change(old_total, agreement.budget_total))
            agreement._history_user = user
            agreement.save(update_fields=["budget_total"])
    return changes


def describe(change) -> str:
    """A budget change as the amendment's text says it."""
    if change.kind == Kind.POSITION:
        return ngettext(
            "%(position)s: %(before)s → %(after)s month.",
            "%(position)s: %(before)s → %(after)s months.",
            change.months_after,
        ) % {"position": change.term, "before": change.months_before, "after": change.months_after}
    if change.kind == Kind.BUDGET_TOTAL:
        return _("Budget total: %(before)s → %(after)s.") % {
            "before": format_sek(change.amount_before),
            "after": format_sek(change.amount_after),
        }
    return _("Budget line “%(line)s”: %(before)s → %(after)s.") % {
        "line": change.term,
        "before": format_sek(change.amount_before),
        "after": format_sek(change.amount_after),
    }
