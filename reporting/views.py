"""Report pages. Access: ``_get_report_for_user`` loads the report and asks
``partnership.access`` about its agreement (outsider 404, wrong role 403)."""

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.crud import confirm_page
from core.downloads import content_disposition, file_name
from core.formatting import format_sek
from dialogue.models import ActionItem
from partnership.access import (
    COORDINATOR,
    STAFF,
    agreements_for,
    get_agreement_for_user,
    party_role_of,
    user_organisation,
    user_roles,
)
from partnership.models import Commitment, Indicator
from partnership.nav import AGREEMENT_BASE
from partnership.pages import agreement_form_page
from partnership.queries import agreements_overview
from visits.queries import today_venues

from . import bundle, queries, services
from .figures import flagged_lines, report_figures
from .forms import CommentForm, FollowUpForm, NarrativeForm
from .frozen import FrozenPdfDamaged, frozen_pdf_bytes
from .ics import deadlines_calendar
from .models import (
    CalendarToken,
    CommitmentFollowUp,
    FundsDecision,
    Report,
    ReportVersion,
    Standing,
)
from .pdf import render_report_pdf
from .rendering import report_context

BOTH = (STAFF, COORDINATOR)


@login_required
@require_GET
def home(request):
    """The front page: the agreements of the user's organisation, the one-tap buttons to
    count today's visitors and the reporting deadlines. It lives here because it gathers
    from every app, and reporting is the app that may import them all."""
    today = timezone.localdate()
    organisation = user_organisation(request.user)
    agreements = list(agreements_overview(request.user, today))
    context = {
        "agreements": agreements,
        "organisation": organisation,
        "has_role": bool(user_roles(request.user)),
        "today": today,
        "today_rows": today_venues(request.user, agreements, today),
        "waiting": queries.waiting_for(request.user, agreements, today),
    }
    overview = queries.deadline_overview(agreements, today)
    # Approved reports are done: they go under "Earlier", and a report of an agreement that
    # has ended is never shown as overdue once it is approved.
    context["overview"] = [d for d in overview if d.standing != Standing.APPROVED]
    context["approved"] = [d for d in overview if d.standing == Standing.APPROVED][::-1]
    return render(request, "reporting/home.html", context)


def _get_report_for_user(user, pk, roles=BOTH) -> Report:
    report = get_object_or_404(Report.objects.select_related("deadline"), pk=pk)
    # The checked agreement carries ``user_role``.
    agreement = get_agreement_for_user(user, report.agreement_id, roles)
    report.agreement = report.deadline.agreement = agreement
    return report


def _language(request) -> str:
    """Reports render in Swedish by default (the request's language) and in English with
    ``?lang=en``."""
    lang = request.GET.get("lang", "")
    if lang in dict(settings.LANGUAGES):
        return lang
    return translation.get_language() or settings.LANGUAGE_CODE


def _shown(report):
    """The figures, narrative and version to show: the frozen snapshot of the latest version
    once submitted, else the live figures and the narrative being written."""
    if report.status in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        version = report.versions.order_by("-number").first()
        if version is not None:
            return version.figures, version.narrative, version
    return report_figures(report), report.narrative(), None


def _pdf_filename(report, suffix=""):
    d = report.deadline
    return file_name(f"{d.agreement.short_name}-{d.kind}-{d.period_end.isoformat()}{suffix}", "pdf")


@login_required
@require_GET
def report_list(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    reports = services.reports_of(agreement)
    today = timezone.localdate()
    rows = [(report, Standing.of(report, today)) for report in reports]
    return render(
        request,
        "reporting/report_list.html",
        {"agreement": agreement, "rows": rows, "today": today},
    )


@login_required
@require_GET
def report_detail(request, pk):
    report = _get_report_for_user(request.user, pk)
    agreement = report.agreement
    role = agreement.user_role
    language = _language(request)
    with translation.override(language):
        figures, narrative, version = _shown(report)
        context = report_context(
            figures=figures, narrative=narrative, report=report, version=version
        )
        context.update(
            {
                "agreement": agreement,
                "versions": report.versions.select_related("submitted_by", "decided_by"),
                "language": language,
                "can_edit": role == STAFF and report.is_editable,
                "can_decide": role == COORDINATOR and report.status == Report.Status.SUBMITTED,
                "can_reopen": role == COORDINATOR and report.status == Report.Status.APPROVED,
                # The commitments the user's party follows up, while the report is open.
                "follow_up_role": party_role_of(role) if report.is_editable else None,
                "standing": Standing.LABELS[Standing.of(report, timezone.localdate())],
            }
        )
        return render(request, "reporting/report_detail.html", context)


@login_required
@require_GET
def report_pdf(request, pk):
    report = _get_report_for_user(request.user, pk)
    language = _language(request)
    with translation.override(language):
        figures, narrative, version = _shown(report)
    pdf = render_report_pdf(
        report, language, figures=figures, narrative=narrative, version=version, reuse=True
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_pdf_filename(report), attachment=False)
    return response


def _pdf_damaged(request, version, agreement):
    """The page for a frozen PDF that no longer matches its checksum (already logged):
    409, the stored file conflicts with what was recorded; not a server error."""
    context = {"agreement": agreement, "version": version}
    return render(request, "reporting/pdf_damaged.html", context, status=409)


@login_required
@require_GET
def version_pdf(request, pk):
    """The PDF exactly as frozen at submission, checked against its SHA-256."""
    version = get_object_or_404(ReportVersion.objects.select_related("report__deadline"), pk=pk)
    report = _get_report_for_user(request.user, version.report_id)
    try:
        data = frozen_pdf_bytes(version)
    except FrozenPdfDamaged:
        return _pdf_damaged(request, version, report.agreement)
    return FileResponse(
        io.BytesIO(data),
        content_type="application/pdf",
        as_attachment=True,
        filename=_pdf_filename(report, f"-v{version.number}"),
    )


@login_required
def report_edit(request, pk):
    report = _get_report_for_user(request.user, pk, roles=(STAFF,))
    if not report.is_editable:
        messages.error(request, _("Only a draft or returned report can be edited."))
        return redirect(report)
    entered = (
        []
        if report.is_close_out
        else Indicator.objects.filter(goal__agreement=report.agreement, origin="entered")
    )
    form = NarrativeForm(
        request.POST or None,
        instance=report,
        flagged=flagged_lines(report_figures(report)),
        entered=entered,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_narrative(
                report=report,
                data=form.cleaned_data,
                reasons=form.reasons(),
                values=form.indicator_values(),
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The report text was saved."))
            return redirect(report)
    return render(
        request,
        "reporting/report_edit.html",
        {"agreement": report.agreement, "report": report, "form": form},
    )


@login_required
def follow_up_edit(request, pk, commitment_pk):
    """The follow-up of one commitment in the report, by the party that made it."""
    report = _get_report_for_user(request.user, pk)
    commitment = get_object_or_404(
        Commitment.objects.select_related("party__organisation"),
        pk=commitment_pk,
        agreement=report.agreement,
    )
    if commitment.party.role != party_role_of(report.agreement.user_role):
        raise PermissionDenied
    if not report.is_editable or report.is_close_out:
        messages.error(request, _("Only a draft or returned report can be edited."))
        return redirect(report)
    entry = CommitmentFollowUp.objects.filter(report=report, commitment=commitment).first()
    return agreement_form_page(
        request,
        report.agreement,
        FollowUpForm(request.POST or None, instance=entry),
        lambda data: services.write_follow_up(
            report=report,
            commitment=commitment,
            user=request.user,
            role=report.agreement.user_role,
            **data,
        ),
        title=_("Follow-up: %(commitment)s") % {"commitment": commitment.text},
        done=_("The follow-up was saved."),
        back=reverse("reporting:report_detail", args=[report.pk]),
    )


def _act(request, action, success):
    try:
        action()
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


def _confirmation(request, report, *, question, consequences, button, problems=()):
    """The second step of submitting or approving a report: what will happen, then a
    button that posts to the same address."""
    return confirm_page(
        request,
        title=question,
        question=_("%(report)s, %(start)s – %(end)s.")
        % {
            "report": report.deadline.get_kind_display(),
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
        },
        consequences=consequences,
        problems=problems,
        button=button,
        button_class="btn-success",
        back=report.get_absolute_url(),
        base=AGREEMENT_BASE,
        context={"agreement": report.agreement, "report": report},
    )


def _next_version_number(report) -> int:
    return (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request, pk):
    """GET: what submitting does, and what is still missing; POST: submit."""
    report = _get_report_for_user(request.user, pk, roles=(STAFF,))
    if request.method == "POST":
        _act(
            request,
            lambda: services.submit_report(
                report=report, user=request.user, language=settings.LANGUAGE_CODE
            ),
            _("The report was submitted. Its figures and PDF are now frozen."),
        )
        return redirect(report)
    if not report.is_editable:
        messages.info(request, _("The report has been submitted already."))
        return redirect(report)
    try:
        services.check_complete(report, report_figures(report))
    except ValidationError as e:
        problems = e.messages
    else:
        problems = ()
    return _confirmation(
        request,
        report,
        question=_("Submit the close-out?") if report.is_close_out else _("Submit the report?"),
        consequences=[
            _(
                "The version is frozen and cannot be changed: the text, the figures as they "
                "stand today and the PDF are kept as version %(number)s."
            )
            % {"number": _next_version_number(report)},
            _(
                "The coordinators of the public party then approve it or return it with a "
                "comment. Until they return it, the text cannot be edited."
            ),
        ],
        problems=problems,
        button=_("Yes, submit"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_approve(request, pk):
    """GET: what approving locks; POST: approve."""
    report = _get_report_for_user(request.user, pk, roles=(COORDINATOR,))
    if request.method == "POST":
        _act(
            request,
            lambda: services.approve_report(report=report, user=request.user),
            _("The report was approved. Its period is now locked."),
        )
        return redirect(report)
    version = report.versions.order_by("-number").first()
    if report.status != Report.Status.SUBMITTED or version is None:
        messages.info(request, _("Only a submitted report can be approved."))
        return redirect(report)
    locked_until = min(report.period_end, timezone.localdate(version.submitted_at))
    consequences = [
        _("Version %(number)s is approved as it was submitted.") % {"number": version.number},
        _(
            "The period is locked: sessions, visitor counts, activities, expenses, payments "
            "and in-kind hours dated %(start)s – %(end)s can no longer be added, changed or "
            "deleted."
        )
        % {"start": report.period_start.isoformat(), "end": locked_until.isoformat()},
        _(
            "A correction after that needs the report to be reopened, with a comment; the "
            "history keeps both."
        ),
    ]
    if report.is_close_out and report.funds_decision == FundsDecision.REPAY:
        consequences.insert(
            2,
            _("The repayment of %(amount)s on %(date)s is recorded in the budget.")
            % {
                "amount": format_sek(report.repayment_amount),
                "date": report.repayment_date.isoformat(),
            },
        )
    return _confirmation(
        request,
        report,
        question=_("Approve the close-out?") if report.is_close_out else _("Approve the report?"),
        consequences=consequences,
        button=_("Yes, approve"),
    )


def _comment_view(request, pk, *, action, allowed_status, title, button, success, consequences):
    """Return or reopen: the second step says what will happen (``consequences(report)``)
    and asks for the comment the staff will read."""
    report = _get_report_for_user(request.user, pk, roles=(COORDINATOR,))
    if report.status != allowed_status:
        raise Http404
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(report=report, user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, success)
            return redirect(report)
    return render(
        request,
        "reporting/report_comment.html",
        {
            "agreement": report.agreement,
            "report": report,
            "form": form,
            "title": title,
            "button": button,
            "consequences": consequences(report),
        },
    )


def _return_consequences(report):
    return [
        _(
            "The report goes back to the staff with your comment. They edit it and submit it "
            "again as a new version."
        ),
        _("The submitted version is kept as it is, marked returned."),
        _("Nothing is locked."),
    ]


def _reopen_consequences(report):
    lock = report.locked_period
    consequences = [
        _("The lock is removed: the data dated %(start)s – %(end)s can be corrected again.")
        % {"start": lock.start_date.isoformat(), "end": lock.end_date.isoformat()}
        if lock
        else _("The period's lock is removed."),
        _("The approved version is kept, marked approved and later reopened."),
        _(
            "The report goes back to the staff with your comment, to be corrected and "
            "submitted again as a new version."
        ),
    ]
    if report.repayment_id:
        consequences.append(
            _("The recorded repayment is removed; it is recorded again at the next approval.")
        )
    return consequences


@login_required
def report_return(request, pk):
    return _comment_view(
        request,
        pk,
        action=services.return_report,
        allowed_status=Report.Status.SUBMITTED,
        title=_("Return the report to the staff"),
        button=_("Return the report"),
        success=_("The report was returned to the staff."),
        consequences=_return_consequences,
    )


@login_required
def report_reopen(request, pk):
    return _comment_view(
        request,
        pk,
        action=services.reopen_report,
        allowed_status=Report.Status.APPROVED,
        title=_("Reopen the approved report"),
        button=_("Reopen the report"),
        success=_("The report was reopened and its period unlocked."),
        consequences=_reopen_consequences,
    )


@login_required
@require_GET
def audit_bundle(request, agreement_pk):
    """The auditor bundle, streamed (``reporting.bundle``): every frozen PDF is checked first,
    so a damaged one answers with a page instead of a zip."""
    agreement = get_agreement_for_user(request.user, agreement_pk)
    documents = bundle.agreement_documents(agreement)
    try:
        bundle.check_frozen_pdfs(agreement)
        bundle.check_documents(documents)
    except FrozenPdfDamaged as damaged:
        return _pdf_damaged(request, damaged.version, agreement)
    except bundle.DocumentDamaged:
        messages.error(
            request,
            _(
                "A document of the agreement is no longer the file that was attached, so no "
                "auditor bundle is made. The problem has been logged; an administrator can "
                "restore the file from a backup."
            ),
        )
        return redirect("documents:document_list", agreement.pk)
    language = translation.get_language()

    def content():
        # The response is sent after the view returns: keep the user's language.
        with translation.override(language):
            yield from bundle.stream_bundle(agreement, request.user, documents=documents)

    response = StreamingHttpResponse(content(), content_type="application/zip")
    what = _("auditor bundle")
    stem = f"{agreement.short_name}-{what}-{timezone.localdate().isoformat()}"
    response["Content-Disposition"] = content_disposition(file_name(stem, "zip"))
    return response


@login_required
def calendar_settings(request):
    """The user's secret calendar link, and a button to make one (or a new one)."""
    if request.method == "POST":
        services.regenerate_calendar_token(user=request.user)
        messages.success(request, _("A new calendar address was made."))
        return redirect("reporting:calendar")
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("reporting:calendar_feed", args=[token.token]))
        if token
        else ""
    )
    return render(request, "reporting/calendar.html", {"feed_url": feed_url})


@require_GET
def calendar_feed(request, token):
    """The one page without login: the token in the URL is the secret."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    agreements = agreements_for(found.user)
    reports = (
        Report.objects.filter(agreement__in=agreements)
        .select_related("deadline__agreement")
        .order_by("deadline__due_date", "pk")
    )
    body = deadlines_calendar(
        reports,
        host=request.get_host().split(":")[0],
        url_for=lambda r: request.build_absolute_uri(r.get_absolute_url()),
        today=timezone.localdate(),
        action_items=ActionItem.objects.filter(
            agreement__in=agreements, done_on__isnull=True, due_date__isnull=False
        )
        .select_related("agreement")
        .order_by("due_date", "pk"),
        action_item_url=lambda item: request.build_absolute_uri(
            reverse("dialogue:meeting_list", args=[item.agreement_id])
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition("iop-deadlines.ics", attachment=False)
    response["Cache-Control"] = "private, max-age=900"
    return response
