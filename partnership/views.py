from datetime import timedelta

from crispy_forms.helper import FormHelper
from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from . import amendments, lifecycle
from .access import COORDINATOR, get_agreement_for_history, get_agreement_for_user
from .as_of import agreement_as_of as read_as_of
from .forms import AmendmentForm, AsOfForm, RenewalForm, StatusChangeForm
from .history import entries_for, history_queryset
from .models import Agreement, Amendment, ReportingDeadline
from .timeline import timeline


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
        "status_changes": agreement.status_changes.select_related("changed_by"),
        "renewals": agreement.renewals.all(),
        "predecessor": agreement.renews,
        "timeline": timeline(agreement),
    }
    return render(request, "partnership/agreement_detail.html", context)


@login_required
def agreement_history(request, pk):
    """Who changed what and when in the agreement and everything that belongs to it."""
    agreement = get_agreement_for_history(request.user, pk)
    page = Paginator(history_queryset(agreement.pk), 50).get_page(request.GET.get("page"))
    context = {"agreement": agreement, "page": page, "entries": entries_for(page.object_list)}
    return render(request, "partnership/agreement_history.html", context)


# change → (from, to, title, button, what happens)
STATUS_CHANGES = {
    "activate": (
        Agreement.Status.DRAFT,
        Agreement.Status.ACTIVE,
        _("Activate the agreement"),
        _("Yes, activate"),
        [
            _("The agreement runs: sessions, visitor counts, activities and money can be logged."),
            _("The change is recorded with your name and the time."),
        ],
    ),
    "end": (
        Agreement.Status.ACTIVE,
        Agreement.Status.ENDED,
        _("End the agreement"),
        _("Yes, end it"),
        [
            _(
                "What was logged becomes read-only; the reports still due (the final report, "
                "the financial close-out) are written and approved as before."
            ),
            _("The change is recorded with your name and the time."),
        ],
    ),
    "reopen": (
        Agreement.Status.ENDED,
        Agreement.Status.ACTIVE,
        _("Reopen the agreement"),
        _("Yes, reopen"),
        [
            _("The agreement takes logs again inside its period, for a correction."),
            _("The change is recorded with your name, the time and your note."),
        ],
    ),
}


@login_required
def agreement_status(request, pk, change):
    """The coordinator activates, ends or reopens the agreement (``lifecycle``)."""
    agreement = get_agreement_for_user(request.user, pk, roles=(COORDINATOR,))
    from_status, to_status, title, button, consequences = STATUS_CHANGES[change]
    form = StatusChangeForm(request.POST or None)
    form.helper = FormHelper()
    form.helper.form_tag = False
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.change_status(
                agreement=agreement,
                from_status=from_status,
                to_status=to_status,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The agreement is now “%(status)s”.") % {"status": to_status.label},
            )
            return redirect(agreement)
    if agreement.status != from_status:
        found = [
            _("The agreement is “%(status)s” now.") % {"status": agreement.get_status_display()}
        ]
    else:  # the note is asked for on this page: not a reason to offer no button
        found = lifecycle.problems(agreement, to_status, note="-")
    context = {
        "agreement": agreement,
        "title": title,
        "button": button,
        "consequences": consequences,
        "problems": found,
        "form": form,
    }
    return render(request, "partnership/agreement_status.html", context)


@login_required
def agreement_renew(request, pk):
    """The coordinator renews the agreement for a new period: a draft (``lifecycle.renew``)."""
    agreement = get_agreement_for_user(request.user, pk, roles=(COORDINATOR,))
    length = relativedelta(agreement.end_date + timedelta(days=1), agreement.start_date)
    start = agreement.end_date + timedelta(days=1)
    form = RenewalForm(
        request.POST or None,
        initial={"start_date": start, "end_date": start + length - timedelta(days=1)},
    )
    form.helper = FormHelper()
    form.helper.form_tag = False
    if request.method == "POST" and form.is_valid():
        try:
            renewal = lifecycle.renew(agreement=agreement, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The renewal is created as a draft. Adjust its budget and deadlines in "
                    "Django admin, then activate it."
                ),
            )
            return redirect(renewal)
    context = {
        "agreement": agreement,
        "title": _("Renew the agreement"),
        "button": _("Create the renewal"),
        "consequences": [
            _(
                "A new agreement for the new period, between the same parties, starting as a "
                "draft: nothing is logged on it until it is activated."
            ),
            _(
                "Copied: the commitments, the budget lines and positions, the funding, the "
                "goals and indicators, the contact people, the venues and the age bands; the "
                "interim deadlines moved to the new period where they fit."
            ),
            _("Not copied: amendments, signatures, and anything logged."),
        ],
        "problems": [],
        "form": form,
    }
    return render(request, "partnership/agreement_status.html", context)


@login_required
def amendment_detail(request, pk):
    """An amendment and each term it changes, before → after."""
    amendment = get_object_or_404(Amendment.objects.select_related("agreement"), pk=pk)
    agreement = get_agreement_for_user(request.user, amendment.agreement_id)
    # The history holds the agreement as it was recorded: read it around the day the
    # amendment was recorded (its date, the annex's own, may be earlier).
    recorded = amendment.history.order_by("history_date").values_list("history_date", flat=True)
    recorded_day = localdate(recorded[0]) if recorded else amendment.date
    context = {
        "agreement": agreement,
        "amendment": amendment,
        "changes": amendment.changes.all(),
        "recorded_day": recorded_day,
        "before": recorded_day - timedelta(days=1),
    }
    return render(request, "partnership/amendment_detail.html", context)


@login_required
def agreement_as_of(request, pk):
    """The agreement as it stood at the end of a day, read from its history."""
    agreement = get_agreement_for_user(request.user, pk)
    form = AsOfForm(request.GET or None)
    stood = None
    if form.is_valid():
        stood = read_as_of(agreement=agreement, day=form.cleaned_data["date"])
        if stood is None:
            form.add_error("date", _("The agreement was not yet registered on that date."))
    context = {"agreement": agreement, "form": form, "stood": stood}
    return render(request, "partnership/agreement_as_of.html", context)


@login_required
def agreement_amend(request, pk):
    """The coordinator makes an amendment: the terms it changes, applied with it."""
    agreement = get_agreement_for_user(request.user, pk, roles=(COORDINATOR,))
    form = AmendmentForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = amendments.amend(
                agreement=agreement, user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The amendment is made."))
            return redirect("partnership:amendment_detail", amendment.pk)
    refused = (
        [_("An ended agreement cannot be amended; reopen it first.")]
        if agreement.status == Agreement.Status.ENDED
        else []
    )
    context = {"agreement": agreement, "form": form, "problems": refused}
    return render(request, "partnership/agreement_amend.html", context)
