"""Reads of the partnership app that pages share."""

from django.db.models import Min, Prefetch, Q

from .access import agreements_for
from .models import Party

# What the front page shows of an agreement (not its long texts).
OVERVIEW_FIELDS = ("title", "short_name", "status", "start_date", "end_date", "budget_total")


def agreements_overview(user, today):
    """The agreements ``user`` has a role in (``access.agreements_for``), latest end first,
    each with ``next_due`` (the first deadline due from ``today``) and ``party_list`` (its
    parties with their organisations, in order). Two queries, whatever the number of
    agreements."""
    return (
        agreements_for(user)
        .only(*OVERVIEW_FIELDS)
        .annotate(next_due=Min("deadlines__due_date", filter=Q(deadlines__due_date__gte=today)))
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation"),
                to_attr="party_list",
            )
        )
        .order_by("-end_date")
    )
