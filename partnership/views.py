from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .access import get_agreement_for_history, get_agreement_for_user
from .history import entries_for, history_queryset
from .models import ReportingDeadline


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
