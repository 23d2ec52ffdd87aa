import datetime
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Min, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import get_agreement_for_history, get_agreement_for_user, user_organisation
from .history import entries_for, history_queryset
from .models import Agreement, Party, ReportingDeadline
from .sqlcache import CompiledQuery


@require_GET
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


HOME_FIELDS = ("title", "short_name", "status", "start_date", "end_date", "budget_total")

# The home page's reads, by organisation, compiled once per process (see sqlcache): the
# agreements the organisation is party to, with what the page shows (not their long texts)
# and the next deadline due from ``today``; and all the parties of those agreements.
_home_agreements = CompiledQuery(
    lambda organisation_pk, today: (
        Agreement.objects.for_organisation(organisation_pk)
        .only(*HOME_FIELDS)
        .annotate(next_due=Min("deadlines__due_date", filter=Q(deadlines__due_date__gte=today)))
        .order_by("-end_date")
    ),
    int,
    datetime.date,
)
_home_parties = CompiledQuery(
    # An organisation is party to an agreement once (party_unique_organisation): no repeats.
    lambda organisation_pk: Party.objects.select_related("organisation").filter(
        agreement__parties__organisation_id=organisation_pk
    ),
    int,
)


def home_agreements(organisation, today) -> list:
    """The agreements ``organisation`` is party to, latest end first, each with
    ``next_due`` and ``party_list`` (its parties with their organisations, in order)."""
    if organisation is None:
        return []
    agreements = _home_agreements(organisation.pk, today)
    parties = defaultdict(list)
    for party in _home_parties(organisation.pk):
        parties[party.agreement_id].append(party)
    for agreement in agreements:
        agreement.party_list = parties[agreement.pk]
    return agreements


@login_required
def home(request):
    today = timezone.localdate()
    organisation = user_organisation(request.user)
    context = {
        "agreements": home_agreements(organisation, today),
        "organisation": organisation,
        "today": today,
    }
    return render(request, "partnership/home.html", context)


@login_required
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(request.user, pk)
    context = {
        "agreement": agreement,
        "parties": agreement.parties.select_related("organisation"),
        "commitments": agreement.commitments.select_related("party__organisation"),
        "budget_lines": agreement.budget_lines.prefetch_related("positions"),
        "funding": agreement.funding.select_related("party__organisation"),
        "deadlines": agreement.deadlines.all(),
        "amendments": agreement.amendments.all(),
        "contacts": agreement.contacts.select_related("organisation"),
        "signatories": agreement.signatories.select_related("organisation"),
        "deadline_kinds": ReportingDeadline.Kind,
    }
    return render(request, "partnership/agreement_detail.html", context)


@login_required
def agreement_history(request, pk):
    """Who changed what and when in the agreement and everything that belongs to it."""
    agreement = get_agreement_for_history(request.user, pk)
    page = Paginator(history_queryset(agreement.pk), 50).get_page(request.GET.get("page"))
    context = {"agreement": agreement, "page": page, "entries": entries_for(page.object_list)}
    return render(request, "partnership/agreement_history.html", context)
