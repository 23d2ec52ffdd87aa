"""The dialogue page of an agreement (meetings, their decisions and action items) and its
learning log. Both parties read and write; the access check of ``partnership.access`` runs
first (an outsider gets 404)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.crud import saved
from partnership.access import COORDINATOR, acting_party, get_agreement_for_user
from partnership.pages import agreement_delete_page, agreement_form_page

from . import services
from .forms import ActionItemForm, DecisionForm, ExtensionForm, LearningEntryForm, MeetingForm
from .models import ActionItem, Decision, LearningEntry, Meeting


def _for_user(user, model, pk, agreement_of=lambda obj: obj.agreement_id, related=()):
    """The row and its checked agreement (404 for an outsider)."""
    obj = get_object_or_404(model.objects.select_related(*related), pk=pk)
    return obj, get_agreement_for_user(user, agreement_of(obj))


def _meetings_url(agreement):
    return reverse("dialogue:meeting_list", args=[agreement.pk])


@login_required
@require_GET
def meeting_list(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    items = ActionItem.objects.select_related("party__organisation", "meeting")
    meetings = Meeting.objects.filter(agreement=agreement).prefetch_related(
        "organisations",
        Prefetch("decisions", queryset=Decision.objects.select_related("budget_line")),
        Prefetch("action_items", queryset=items),
    )
    return render(
        request,
        "dialogue/meeting_list.html",
        {
            "agreement": agreement,
            "meetings": meetings,
            "open_items": items.filter(agreement=agreement, done_on__isnull=True),
        },
    )


@login_required
def meeting_create(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    form = MeetingForm(request.POST or None, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_meeting(agreement=agreement, user=request.user, **data),
        title=_("New meeting"),
        done=_("The meeting was saved."),
        back=_meetings_url(agreement),
    )


@login_required
def meeting_edit(request, pk):
    meeting, agreement = _for_user(request.user, Meeting, pk)
    form = MeetingForm(request.POST or None, instance=meeting, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_meeting(agreement=agreement, meeting=meeting, **data),
        title=_("Edit meeting"),
        done=_("The meeting was saved."),
        back=_meetings_url(agreement),
    )


@login_required
def meeting_delete(request, pk):
    meeting, agreement = _for_user(request.user, Meeting, pk)
    return agreement_delete_page(
        request,
        agreement,
        meeting,
        delete=lambda: services.delete_meeting(meeting=meeting),
        back=_meetings_url(agreement),
    )


@login_required
def decision_create(request, meeting_pk):
    meeting, agreement = _for_user(request.user, Meeting, meeting_pk)
    form = DecisionForm(request.POST or None, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_decision(meeting=meeting, **data),
        title=_("New decision: %(meeting)s") % {"meeting": meeting},
        done=_("The decision was saved."),
        back=_meetings_url(agreement),
    )


def _decision_agreement(decision):
    return decision.meeting.agreement_id


@login_required
def decision_edit(request, pk):
    decision, agreement = _for_user(
        request.user, Decision, pk, _decision_agreement, related=("meeting",)
    )
    form = DecisionForm(request.POST or None, instance=decision, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_decision(meeting=decision.meeting, decision=decision, **data),
        title=_("Edit decision"),
        done=_("The decision was saved."),
        back=_meetings_url(agreement),
    )


@login_required
def decision_delete(request, pk):
    decision, agreement = _for_user(
        request.user, Decision, pk, _decision_agreement, related=("meeting",)
    )
    return agreement_delete_page(
        request,
        agreement,
        decision,
        delete=lambda: services.delete_decision(decision=decision),
        back=_meetings_url(agreement),
    )


@login_required
def action_item_create(request, meeting_pk):
    meeting, agreement = _for_user(request.user, Meeting, meeting_pk)
    form = ActionItemForm(request.POST or None, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_action_item(agreement=agreement, meeting=meeting, **data),
        title=_("New action item: %(meeting)s") % {"meeting": meeting},
        done=_("The action item was saved."),
        back=_meetings_url(agreement),
    )


@login_required
def action_item_edit(request, pk):
    item, agreement = _for_user(request.user, ActionItem, pk)
    form = ActionItemForm(request.POST or None, instance=item, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_action_item(agreement=agreement, item=item, **data),
        title=_("Edit action item"),
        done=_("The action item was saved."),
        back=_meetings_url(agreement),
    )


@login_required
@require_POST
def action_item_done(request, pk):
    item, agreement = _for_user(request.user, ActionItem, pk)
    services.set_action_item_done(item=item, done=request.POST.get("done") == "1")
    return redirect(_meetings_url(agreement))


@login_required
def action_item_delete(request, pk):
    item, agreement = _for_user(request.user, ActionItem, pk)
    return agreement_delete_page(
        request,
        agreement,
        item,
        delete=lambda: services.delete_action_item(item=item),
        back=_meetings_url(agreement),
    )


# --- Learning log ---------------------------------------------------------------------------


def _learning_url(agreement):
    return reverse("dialogue:learning_list", args=[agreement.pk])


@login_required
def learning_list(request, agreement_pk):
    """The learning log, newest first, with the form for a new lesson (by the user's party)."""
    agreement = get_agreement_for_user(request.user, agreement_pk)
    form = LearningEntryForm(request.POST or None, agreement=agreement)
    written = saved(
        request,
        form,
        lambda data: services.save_learning_entry(
            agreement=agreement, party=acting_party(agreement), user=request.user, **data
        ),
        done=_("The lesson was saved."),
    )
    if written:
        return redirect(_learning_url(agreement))
    entries = LearningEntry.objects.filter(agreement=agreement).select_related(
        "party__organisation"
    )
    return render(
        request,
        "dialogue/learning_list.html",
        {"agreement": agreement, "entries": entries, "form": form},
    )


@login_required
def learning_edit(request, pk):
    entry, agreement = _for_user(request.user, LearningEntry, pk)
    form = LearningEntryForm(request.POST or None, instance=entry, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.save_learning_entry(agreement=agreement, entry=entry, **data),
        title=_("Edit lesson"),
        done=_("The lesson was saved."),
        back=_learning_url(agreement),
    )


@login_required
def learning_delete(request, pk):
    entry, agreement = _for_user(request.user, LearningEntry, pk)
    return agreement_delete_page(
        request,
        agreement,
        entry,
        delete=lambda: services.delete_learning_entry(entry=entry),
        back=_learning_url(agreement),
    )


@login_required
def agreement_extend(request, agreement_pk):
    """The coordinator extends the agreement as the parties agreed at a meeting
    (``services.extend_agreement``): recorded as a decision of that meeting and an amendment."""
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(COORDINATOR,))
    form = ExtensionForm(request.POST or None, agreement=agreement)
    return agreement_form_page(
        request,
        agreement,
        form,
        lambda data: services.extend_agreement(
            agreement=agreement, user=request.user, **form.service_arguments()
        ),
        title=_("Extend the agreement"),
        done=_("The agreement is extended; the change is recorded as an amendment."),
        back=reverse("partnership:agreement_detail", args=[agreement.pk]),
    )
