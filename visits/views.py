"""Pages for logging sessions, visitor counts and activities.

Access: staff of the idea-driven party write; coordinators of the public party read; anyone
else gets a 404 (the agreement is not theirs) and a wrong role a 403. Each view asks
``partnership.access`` once, through ``_agreement`` / ``_session`` / ``_activity``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.crud import saved
from core.spreadsheet import csv_response, xlsx_response
from partnership.access import COORDINATOR, STAFF, get_agreement_for_user
from partnership.pages import agreement_delete_page

from . import exports, queries, services
from .forms import ActivityFilterForm, ActivityForm, SessionFilterForm, SessionForm
from .models import Activity, AgeBand, Gender, Session, Venue, VisitorCount

READ = (STAFF, COORDINATOR)
WRITE = (STAFF,)
PAGE_SIZE = 50


def _agreement(request, pk, write=False):
    return get_agreement_for_user(request.user, pk, roles=WRITE if write else READ)


def _session(request, pk, write=False):
    session = get_object_or_404(Session.objects.select_related("venue"), pk=pk)
    session.agreement = _agreement(request, session.agreement_id, write)
    return session


def _age_band(agreement, value):
    """The age band of ``agreement`` whose key is ``value`` (from a form), else 404."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(AgeBand, pk=pk, agreement=agreement)


def _activity(request, pk, write=False):
    activity = get_object_or_404(Activity, pk=pk)
    activity.agreement = _agreement(request, activity.agreement_id, write)
    return activity


def _filter(form_class, request, agreement):
    form = form_class(request.GET or None, agreement=agreement)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, data


def _page(request, qs):
    """The requested page of ``qs`` (the last for a number past the end)."""
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# Sessions ----------------------------------------------------------------------------------


@login_required
def session_list(request, agreement_pk):
    agreement = _agreement(request, agreement_pk)
    form, data = _filter(SessionFilterForm, request, agreement)
    sessions = queries.sessions_for(agreement, data)
    totals = queries.session_totals(sessions)
    page = _page(request, queries.session_rows(sessions))
    context = {
        "agreement": agreement,
        "filter_form": form,
        "page": page,
        "totals": totals,
        "can_write": agreement.user_role == STAFF,
        "query": _query_without_page(request),
    }
    return render(request, "visits/session_list.html", context)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def session_export(request, agreement_pk, format):  # noqa: A002 - the URL's kwarg
    agreement = _agreement(request, agreement_pk)
    _form, data = _filter(SessionFilterForm, request, agreement)
    sessions = queries.with_visits(queries.sessions_for(agreement, data)).order_by(
        "date", "start_time", "venue__name"
    )
    header, rows = exports.session_table(sessions)
    name = f"sessions-{agreement.short_name}"
    if format == "xlsx":
        return xlsx_response(name, _("Sessions"), header, rows)
    return csv_response(name, header, rows)


@login_required
def session_create(request, agreement_pk):
    agreement = _agreement(request, agreement_pk, write=True)
    form = SessionForm(request.POST or None, agreement=agreement, initial=_today(agreement))
    session = saved(
        request,
        form,
        lambda data: services.create_session(agreement=agreement, user=request.user, **data),
        done=_("The session was saved. Count the visitors here."),
    )
    if session:
        return redirect("visits:tally", session.pk)
    return _form(request, "visits/session_form.html", form, agreement)


@login_required
def session_edit(request, pk):
    session = _session(request, pk, write=True)
    agreement = session.agreement
    form = SessionForm(request.POST or None, instance=session, agreement=agreement)
    if saved(
        request,
        form,
        lambda data: services.update_session(session=session, user=request.user, **data),
        done=_("The session was saved."),
    ):
        return redirect("visits:session_list", agreement.pk)
    return _form(request, "visits/session_form.html", form, agreement, session)


def _today(agreement):
    """A new row's initial date: today, when it lies in the agreement."""
    today = timezone.localdate()
    return {"date": today} if agreement.contains(today) else {}


def _form(request, template, form, agreement, obj=None):
    return render(request, template, {"agreement": agreement, "form": form, "object": obj})


@login_required
def session_delete(request, pk):
    session = _session(request, pk, write=True)
    return agreement_delete_page(
        request,
        session.agreement,
        session,
        delete=lambda: services.delete_session(session=session, user=request.user),
        question=_("Delete the session %(session)s and its visitor counts?") % {"session": session},
        done=_("The session was deleted."),
        back=reverse("visits:session_list", args=[session.agreement_id]),
    )


# Tally -------------------------------------------------------------------------------------


@login_required
def tally(request, pk):
    session = _session(request, pk, write=True)
    context = {
        "agreement": session.agreement,
        "session": session,
        "grid": queries.tally_grid(session),
        "total": services.session_total(session),
    }
    return render(request, "visits/tally.html", context)


@login_required
@require_POST
def tally_tap(request, pk):
    """One tap on the tally: +1 or −1 on one cell. Answers htmx with the cell's new count
    and, out of band, the new total; a plain form post is redirected back to the tally."""
    session = _session(request, pk, write=True)
    band = _age_band(session.agreement, request.POST.get("age_band"))
    gender = request.POST.get("gender")
    try:
        delta = int(request.POST.get("delta", ""))
    except ValueError:
        delta = 0
    error = None
    if delta not in (1, -1) or gender not in Gender.values:
        return HttpResponse(_("Invalid tap."), status=400)
    try:
        count = services.increment_count(
            session=session, age_band=band, gender=gender, delta=delta, user=request.user
        )
    except ValidationError as e:
        error = " ".join(e.messages)
        cell = VisitorCount.objects.filter(session=session, age_band=band, gender=gender).first()
        count = cell.count if cell else 0
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("visits:tally", session.pk)
    return render(
        request,
        "visits/_tally_tap.html",
        {"count": count, "total": services.session_total(session), "error": error},
    )


@login_required
def today(request, agreement_pk, venue_pk):
    """Today's session at a venue: opened (created if needed) and straight to the tally.

    A POST creates the session; a GET only finds it, so a link never writes."""
    agreement = _agreement(request, agreement_pk, write=True)
    venue = get_object_or_404(Venue, pk=venue_pk, agreement=agreement)
    day = timezone.localdate()
    if request.method == "POST":
        try:
            session, _created = services.get_or_create_session(
                agreement=agreement, venue=venue, day=day, user=request.user
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return redirect("visits:today_choose", agreement.pk)
        return redirect("visits:tally", session.pk)
    session = Session.objects.filter(venue=venue, date=day).order_by("start_time").first()
    if session:
        return redirect("visits:tally", session.pk)
    return redirect("visits:today_choose", agreement.pk)


@login_required
def today_choose(request, agreement_pk):
    agreement = _agreement(request, agreement_pk, write=True)
    day = timezone.localdate()
    venues = agreement.venues.filter(is_active=True).prefetch_related("opening_hours")
    sessions = {
        s.venue_id: s
        for s in Session.objects.filter(agreement=agreement, date=day).order_by("-start_time")
    }
    rows = [
        (
            v,
            sessions.get(v.pk),
            any(oh.weekday == day.weekday() for oh in v.opening_hours.all()),
        )
        for v in venues
    ]
    return render(
        request,
        "visits/today.html",
        {"agreement": agreement, "rows": rows, "today": day, "open": agreement.contains(day)},
    )


# Activities --------------------------------------------------------------------------------


@login_required
def activity_list(request, agreement_pk):
    agreement = _agreement(request, agreement_pk)
    form, data = _filter(ActivityFilterForm, request, agreement)
    qs = queries.activities_for(agreement, data)
    totals = queries.activity_totals(qs)
    page = _page(request, queries.with_relations(qs))
    context = {
        "agreement": agreement,
        "filter_form": form,
        "page": page,
        "totals": totals,
        "can_write": agreement.user_role == STAFF,
        "query": _query_without_page(request),
    }
    return render(request, "visits/activity_list.html", context)


@login_required
def activity_export(request, agreement_pk, format):  # noqa: A002 - the URL's kwarg
    agreement = _agreement(request, agreement_pk)
    _form, data = _filter(ActivityFilterForm, request, agreement)
    activities = queries.with_relations(queries.activities_for(agreement, data)).order_by(
        "date", "pk"
    )
    header, rows = exports.activity_table(activities)
    name = f"activities-{agreement.short_name}"
    if format == "xlsx":
        return xlsx_response(name, _("Activities"), header, rows)
    return csv_response(name, header, rows)


@login_required
def activity_create(request, agreement_pk):
    agreement = _agreement(request, agreement_pk, write=True)
    form = ActivityForm(request.POST or None, agreement=agreement, initial=_today(agreement))
    if saved(
        request,
        form,
        lambda data: services.create_activity(agreement=agreement, user=request.user, **data),
        done=_("The activity was saved."),
    ):
        return redirect("visits:activity_list", agreement.pk)
    return _form(request, "visits/activity_form.html", form, agreement)


@login_required
def activity_edit(request, pk):
    activity = _activity(request, pk, write=True)
    agreement = activity.agreement
    form = ActivityForm(request.POST or None, instance=activity, agreement=agreement)
    if saved(
        request,
        form,
        lambda data: services.update_activity(activity=activity, user=request.user, **data),
        done=_("The activity was saved."),
    ):
        return redirect("visits:activity_list", agreement.pk)
    return _form(request, "visits/activity_form.html", form, agreement, activity)


@login_required
def activity_delete(request, pk):
    activity = _activity(request, pk, write=True)
    return agreement_delete_page(
        request,
        activity.agreement,
        activity,
        delete=lambda: services.delete_activity(activity=activity, user=request.user),
        question=_("Delete the activity %(activity)s?") % {"activity": activity},
        done=_("The activity was deleted."),
        back=reverse("visits:activity_list", args=[activity.agreement_id]),
    )
