"""The agreement's life: a draft, then active, then ended (and, for a correction, reopened).

* A **draft** is read by admins and the parties' users, and changed in Django admin, but
  nothing is logged on it: no session, visitor count, tap of the tally, activity, expense,
  payment or in-kind hours.
* An **active** agreement takes logs as far as its dates and approval locks allow.
* An **ended** agreement is read-only: its logs can no longer be added, changed or deleted.
  Its reports still due (the final report, the financial close-out) are written, submitted
  and approved as before: reports are not logs.

Every change of status goes through ``change_status`` (or its wrappers ``activate``, ``end``
and ``reopen``), which records it as a ``StatusChange`` (who, when, from what to what, why)
and in the agreement's history.

As with the approval locks (``locks.py``), the apps whose rows are logs register their models
here in their ``AppConfig.ready``; a ``pre_save`` and ``pre_delete`` receiver refuses a write
to a draft or ended agreement whatever path it takes (a page, Django admin, a shell).
Services check earlier with ``assert_takes_logs`` so that the user sees the message. Bulk
``QuerySet.update()`` and ``bulk_create`` send no signal: code that uses them for users'
writes (the tally) calls ``assert_takes_logs`` itself.
"""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_sek

from .models import Agreement, Party, ReportingDeadline, StatusChange

Status = Agreement.Status

# (from, to) → the name of the change.
TRANSITIONS = {
    (Status.DRAFT, Status.ACTIVE): "activate",
    (Status.ACTIVE, Status.ENDED): "end",
    (Status.ENDED, Status.ACTIVE): "reopen",
}

# Model label → how to find the agreement id of a row.
LOGGED_MODELS = {}


def own_agreement(obj):
    return obj.agreement_id


def register(model, target=own_agreement):
    """``model``'s rows are logs: refused on a draft or ended agreement. ``target(row)``
    gives the row's agreement id."""
    label = model._meta.label
    LOGGED_MODELS[label] = target
    pre_save.connect(_refuse_write, sender=model, dispatch_uid=f"lifecycle-save-{label}")
    pre_delete.connect(_refuse_write, sender=model, dispatch_uid=f"lifecycle-delete-{label}")


def status_of(agreement) -> str | None:
    """The stored status of ``agreement`` (an agreement or its key)."""
    pk = getattr(agreement, "pk", agreement)
    return Agreement.objects.filter(pk=pk).values_list("status", flat=True).first()


def refusal(status) -> ValidationError:
    if status == Status.DRAFT:
        message = _(
            "The agreement is still a draft: nothing can be logged on it until the coordinator "
            "has activated it."
        )
    else:
        message = _(
            "The agreement has ended, so what was logged on it can no longer be changed. Ask "
            "the coordinator to reopen it for a correction."
        )
    return ValidationError(message, code=f"agreement_{status}")


def assert_takes_logs(*, agreement):
    """Refuse a log (a session, a count, an activity, money) on a draft or ended agreement."""
    status = status_of(agreement)
    if status is not None and status != Status.ACTIVE:
        raise refusal(status)


def _refuse_write(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata (restore from backup) writes what was stored
        return
    try:
        agreement_id = LOGGED_MODELS[sender._meta.label](instance)
    except Exception:  # noqa: BLE001 - an incomplete row is refused by its own validation
        return
    if agreement_id is not None:
        assert_takes_logs(agreement=agreement_id)


def problems(agreement, to_status, *, note="", today=None) -> list[str]:
    """Why ``agreement`` cannot change to ``to_status`` now (empty when it can)."""
    today = today or timezone.localdate()
    change = TRANSITIONS.get((agreement.status, to_status))
    if change is None:
        return [
            _("An agreement that is “%(from)s” cannot become “%(to)s”.")
            % {"from": agreement.get_status_display(), "to": Status(to_status).label}
        ]
    found = []
    if change == "activate":
        roles = set(agreement.parties.values_list("role", flat=True))
        if roles != {Party.Role.PUBLIC, Party.Role.IDEA_DRIVEN}:
            found.append(_("An IOP needs at least one public and one idea-driven party."))
        lines = agreement.budget_lines_total()
        if lines != agreement.budget_total:
            found.append(
                _(
                    "The budget lines add up to %(lines)s, but the agreement's total is "
                    "%(total)s. Correct a line or the total."
                )
                % {"lines": format_sek(lines), "total": format_sek(agreement.budget_total)}
            )
    elif change == "end" and today <= agreement.end_date:
        found.append(
            _(
                "The agreement runs until %(end)s: it can be ended after that day (to end it "
                "earlier, shorten its period first)."
            )
            % {"end": agreement.end_date.isoformat()}
        )
    elif change == "reopen" and not note.strip():
        found.append(_("Say why the agreement is reopened."))
    return found


@transaction.atomic
def change_status(
    *, agreement, to_status, user=None, note="", today=None, from_status=None
) -> StatusChange:
    """Change the status of ``agreement`` (from ``from_status``, when given), recorded with
    who, when and why. Refused with a ``ValidationError``, nothing changed, when ``problems``
    finds a reason."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if from_status is not None and agreement.status != from_status:
        raise ValidationError(
            _("The agreement is “%(status)s” now: reload the page.")
            % {"status": agreement.get_status_display()}
        )
    found = problems(agreement, to_status, note=note, today=today)
    if found:
        raise ValidationError(found)
    change = StatusChange(
        agreement=agreement,
        from_status=agreement.status,
        to_status=to_status,
        changed_by=user,
        note=note.strip(),
    )
    change.full_clean()
    agreement.status = to_status
    agreement._history_user = user
    agreement._change_reason = TRANSITIONS[(change.from_status, to_status)]
    agreement.save(update_fields=["status"])
    change._history_user = user
    change.save()
    return change


def activate(*, agreement, user=None, note="", today=None) -> StatusChange:
    return change_status(
        agreement=agreement,
        from_status=Status.DRAFT,
        to_status=Status.ACTIVE,
        user=user,
        note=note,
        today=today,
    )


def end(*, agreement, user=None, note="", today=None) -> StatusChange:
    return change_status(
        agreement=agreement,
        from_status=Status.ACTIVE,
        to_status=Status.ENDED,
        user=user,
        note=note,
        today=today,
    )


def reopen(*, agreement, user=None, note="", today=None) -> StatusChange:
    return change_status(
        agreement=agreement,
        from_status=Status.ENDED,
        to_status=Status.ACTIVE,
        user=user,
        note=note,
        today=today,
    )


# Functions ``copy(predecessor, renewal)`` that copy what other apps keep of an agreement
# (visits: the venues with their opening hours, the age bands) into its renewal; registered in
# their ``AppConfig.ready``.
RENEWAL_COPIERS = []


def register_renewal_copier(copy):
    if copy not in RENEWAL_COPIERS:
        RENEWAL_COPIERS.append(copy)


# What a renewal takes over from its predecessor as it is.
RENEWED_FIELDS = (
    "deviation_threshold_percent",
    "final_report_months_before_end",
    "close_out_months_after_end",
    "budget_total",
    *Agreement.SECTION_FIELDS,
)


@transaction.atomic
def renew(
    *,
    agreement,
    start_date,
    end_date,
    user=None,
    title=None,
    short_name=None,
    case_number="",
) -> Agreement:
    """A new agreement for ``start_date`` – ``end_date`` renewing ``agreement``, as a draft
    to be adjusted and then activated: the same parties with their commitments, the budget's
    lines and positions (amounts as before), the funding, the goals with their indicators and
    the contact people; the other apps' parts (venues, age bands) through their copiers. The
    interim deadlines move by the distance between the two starts, those that then fall in the
    new period; the final report (when due relative to the end) and the close-out follow the
    new end. Not copied: amendments, signatories and the signing, locks, and every log."""
    renewal = Agreement(
        title=title or agreement.title,
        short_name=short_name or agreement.short_name,
        case_number=case_number,
        status=Status.DRAFT,
        start_date=start_date,
        end_date=end_date,
        renews=agreement,
        **{name: getattr(agreement, name) for name in RENEWED_FIELDS},
    )
    renewal.full_clean()
    renewal._history_user = user
    renewal._change_reason = "renewal"
    renewal.save()
    parties = {}
    for party in agreement.parties.all():
        parties[party.pk] = _copy(
            party,
            user,
            agreement=renewal,
            fields=("organisation", "role", "order", "commitments_preamble"),
        )
    for commitment in agreement.commitments.all():
        _copy(
            commitment,
            user,
            agreement=renewal,
            party=parties[commitment.party_id],
            fields=("kind", "text", "order"),
        )
    for line in agreement.budget_lines.prefetch_related("positions"):
        new_line = _copy(
            line,
            user,
            agreement=renewal,
            fields=("category", "text", "description", "amount", "order"),
        )
        for position in line.positions.all():
            _copy(
                position,
                user,
                budget_line=new_line,
                fields=("title", "count", "fte_percent", "monthly_cost", "months"),
            )
    for funding in agreement.funding.all():
        _copy(
            funding,
            user,
            agreement=renewal,
            party=parties.get(funding.party_id),
            fields=("contributor_name", "kind", "description", "amount"),
        )
    for goal in agreement.goals.prefetch_related("indicators"):
        new_goal = _copy(goal, user, agreement=renewal, fields=("text", "order"))
        for indicator in goal.indicators.all():
            _copy(
                indicator,
                user,
                goal=new_goal,
                fields=("name", "unit", "baseline", "target", "origin", "activity_type", "order"),
            )
    for contact in agreement.contacts.all():
        _copy(
            contact,
            user,
            agreement=renewal,
            fields=("organisation", "name", "title", "department", "email", "phone", "order"),
        )
    _copy_deadlines(agreement, renewal, user)
    for copy in RENEWAL_COPIERS:
        copy(agreement, renewal)
    return renewal


def _copy(row, user, *, fields, **values):
    """A new row of ``row``'s model with ``row``'s ``fields`` and ``values``, validated."""
    new = type(row)(**{name: getattr(row, name) for name in fields}, **values)
    new.full_clean()
    new._history_user = user
    new.save()
    return new


def _copy_deadlines(agreement, renewal, user):
    shift = relativedelta(renewal.start_date, agreement.start_date)
    for deadline in agreement.deadlines.exclude(kind=ReportingDeadline.Kind.CLOSE_OUT):
        new = ReportingDeadline(
            agreement=renewal, kind=deadline.kind, relative_to_end=deadline.relative_to_end
        )
        new.period_start = deadline.period_start + shift
        new.period_end = deadline.period_end + shift
        new.due_date = deadline.due_date + shift
        new.apply_relative_rule()
        try:
            new.full_clean()
        except ValidationError:  # it does not fit the new period: the coordinator sets it
            continue
        new._history_user = user
        new.save()
