"""The agreement as it stood on a day, read from django-simple-history: for each model one
query of its historical records (the latest of each row up to the end of the day), so the
page costs the same however many rows and changes there are."""

from datetime import datetime, time

from django.utils import timezone

from .models import Agreement, Amendment, BudgetLine, Commitment, ReportingDeadline


def _stood(model, agreement, moment, *order):
    records = model.history.filter(agreement_id=agreement.pk, history_date__lte=moment)
    return list(records.latest_of_each().as_instances().order_by(*order))


def agreement_as_of(*, agreement, day) -> dict | None:
    """What the agreement said at the end of ``day`` (local time): the agreement's fields, its
    commitments by party, budget lines, deadlines and amendments. None when the agreement was
    not yet registered then."""
    moment = timezone.make_aware(datetime.combine(day, time.max))
    try:
        stood = agreement.history.as_of(moment)
    except Agreement.DoesNotExist:
        return None
    parties = list(agreement.parties.select_related("organisation"))
    commitments = _stood(Commitment, agreement, moment, "order", "id")
    by_party = [(party, [c for c in commitments if c.party_id == party.pk]) for party in parties]
    return {
        "day": day,
        "agreement": stood,
        "commitments": [(party, rows) for party, rows in by_party if rows],
        "budget_lines": _stood(BudgetLine, agreement, moment, "order", "id"),
        "deadlines": _stood(ReportingDeadline, agreement, moment, "due_date", "id"),
        "amendments": _stood(Amendment, agreement, moment, "number"),
    }
