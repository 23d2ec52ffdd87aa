"""Reads of the partnership app that pages share."""

from django.db.models import Min, Prefetch, Q

from .models import Agreement, Party

# What the front page shows of an agreement (not its long texts).
OVERVIEW_FIELDS = ("title", "short_name", "status", "start_date", "end_date", "budget_total")


def agreements_overview(organisation, today):
    """The agreements ``organisation`` is party to, latest end first, each with ``next_due``
    (the first deadline due from ``today``) and ``party_list`` (its parties with their
    organisations, in order). Two queries, whatever the number of agreements."""
    if organisation is None:
        return Agreement.objects.none()
    return (
        Agreement.objects.for_organisation(organisation)
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
