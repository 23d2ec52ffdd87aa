"""The money pages: budget against outcome, expenses (with CSV import), payments and
in-kind contributions. Staff write expenses, coordinators write payments, both read;
each side enters its own in-kind hours. Access is decided in ``partnership.access`` only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.crud import saved
from core.downloads import content_disposition, file_name
from core.spreadsheet import csv_response, xlsx_response
from partnership.access import COORDINATOR, STAFF, get_agreement_for_user
from partnership.models import Party
from partnership.pages import agreement_delete_page, agreement_form_page

from . import exports, services
from .budget import ZERO, basis, budget_figures, in_kind_figures
from .charts import cumulative_outcome_chart_svg
from .excel import budget_workbook
from .expense_import import NothingToImport, import_expenses, preview_import
from .forms import (
    ExpenseFilterForm,
    ExpenseForm,
    ExpenseImportForm,
    InKindForm,
    PaymentForm,
    PeriodForm,
    SieImportForm,
    SieMappingRuleForm,
)
from .models import Expense, InKindContribution, Payment, SieMappingRule
from .sie_import import import_sie, preview_sie

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "expense_import_%s"
SIE_SESSION_KEY = "sie_import_%s"


def _object_for_user(user, model, pk, roles=(STAFF, COORDINATOR)):
    """The object and its agreement, with the agreement's access check (404/403)."""
    obj = get_object_or_404(model.objects.select_related("agreement"), pk=pk)
    agreement = get_agreement_for_user(user, obj.agreement_id, roles=roles)
    return obj, agreement


# --- Budget ------------------------------------------------------------------------------


def _figures_for_request(request, agreement):
    form = PeriodForm(request.GET or None, agreement=agreement)
    start, end = form.period()
    return form, budget_figures(agreement, start=start, end=end)


@login_required
def budget(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    form, figures = _figures_for_request(request, agreement)
    chart = cumulative_outcome_chart_svg(agreement, figures.start, figures.end, as_of=figures.as_of)
    # For a part of the agreement, the cumulative basis beside the period's own.
    cumulative = (
        None
        if figures.start == agreement.start_date
        else basis(agreement, agreement.start_date, figures.end, figures.as_of)
    )
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "finance/budget.html",
        {
            "agreement": agreement,
            "form": form,
            "figures": figures,
            "chart": chart,
            "cumulative": cumulative,
            "query": query,
        },
    )


@login_required
def budget_xlsx(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    _form, figures = _figures_for_request(request, agreement)
    response = HttpResponse(
        budget_workbook(figures),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = file_name(f"budget-{agreement.short_name}-{figures.start}-{figures.end}", "xlsx")
    response["Content-Disposition"] = content_disposition(name)
    return response


# --- Expenses ----------------------------------------------------------------------------


def _filtered_expenses(request, agreement):
    """The filter form and the agreement's expenses it selects (none if it is invalid)."""
    form = ExpenseFilterForm(request.GET or None, agreement=agreement)
    expenses = Expense.objects.filter(agreement=agreement).select_related("budget_line")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["start"]:
            expenses = expenses.filter(date__gte=form.cleaned_data["start"])
        if form.cleaned_data["end"]:
            expenses = expenses.filter(date__lte=form.cleaned_data["end"])
        if form.cleaned_data["line"]:
            expenses = expenses.filter(budget_line=form.cleaned_data["line"])
    elif form.is_bound:
        expenses = expenses.none()
    return form, expenses


@login_required
def expense_list(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    form, expenses = _filtered_expenses(request, agreement)
    total = expenses.aggregate(
        total=Coalesce(Sum("amount"), ZERO, output_field=Expense._meta.get_field("amount"))
    )["total"]
    page = Paginator(expenses.order_by("-date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "finance/expense_list.html",
        {
            "agreement": agreement,
            "form": form,
            "page": page,
            "total": total,
            "query": params.urlencode(),
            "can_write": agreement.user_role == STAFF,
        },
    )


@login_required
def expense_export(request, agreement_pk, format):  # noqa: A002 - the URL's kwarg
    agreement = get_agreement_for_user(request.user, agreement_pk)
    _form, expenses = _filtered_expenses(request, agreement)
    header, rows = exports.expense_table(expenses.order_by("date", "pk"))
    name = f"expenses-{agreement.short_name}"
    if format == "xlsx":
        return xlsx_response(name, _("Expenses"), header, rows)
    return csv_response(name, header, rows)


@login_required
def expense_create(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(STAFF,))
    return agreement_form_page(
        request,
        agreement,
        ExpenseForm(request.POST or None, agreement=agreement),
        lambda data: services.create_expense(agreement=agreement, user=request.user, **data),
        title=_("New expense"),
        done=_("The expense was saved."),
        back=reverse("finance:expense_list", args=[agreement.pk]),
    )


@login_required
def expense_edit(request, expense_pk):
    expense, agreement = _object_for_user(request.user, Expense, expense_pk, roles=(STAFF,))
    return agreement_form_page(
        request,
        agreement,
        ExpenseForm(request.POST or None, instance=expense, agreement=agreement),
        lambda data: services.update_expense(expense=expense, **data),
        title=_("Edit expense"),
        done=_("The expense was saved."),
        back=reverse("finance:expense_list", args=[agreement.pk]),
    )


@login_required
def expense_delete(request, expense_pk):
    expense, agreement = _object_for_user(request.user, Expense, expense_pk, roles=(STAFF,))
    return agreement_delete_page(
        request,
        agreement,
        expense,
        back=reverse("finance:expense_list", args=[agreement.pk]),
        delete=lambda: services.delete_expense(expense=expense),
    )


@login_required
def expense_import(request, agreement_pk):
    """Upload → preview. The file's bytes wait in the session until confirmed."""
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(STAFF,))
    form = ExpenseImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        preview = preview_import(agreement, raw, upload.name)
        request.session[IMPORT_SESSION_KEY % agreement.pk] = {
            "name": upload.name,
            "data": raw.decode("latin-1"),  # bytes kept losslessly as a JSON string
            "sha256": preview.sha256,
        }
    return render(
        request,
        "finance/expense_import.html",
        {"agreement": agreement, "form": form, "preview": preview},
    )


def _say_why_nothing_was_imported(request, preview):
    """The message of a confirmed import (CSV or SIE) that wrote nothing, by its preview."""
    if preview.error:
        messages.error(request, _("Nothing was imported. %(reason)s") % {"reason": preview.error})
    elif preview.rejected_count:
        messages.error(request, _("Nothing was imported: the file has rejected rows."))
    elif preview.previous_import or preview.duplicate_count:
        messages.info(request, _("Nothing new to import: these rows are already imported."))
    else:
        messages.info(request, _("Nothing to import: no row of the file is a new expense."))


@require_POST
@login_required
def expense_import_confirm(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(STAFF,))
    pending = request.session.get(IMPORT_SESSION_KEY % agreement.pk)
    back = reverse("finance:expense_import", args=[agreement.pk])
    if not pending or pending["sha256"] != request.POST.get("sha256"):
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect(back)
    try:
        batch = import_expenses(
            agreement=agreement,
            raw=pending["data"].encode("latin-1"),
            filename=pending["name"],
            user=request.user,
        )
    except NothingToImport as refused:
        _say_why_nothing_was_imported(request, refused.preview)
        return redirect(back)
    del request.session[IMPORT_SESSION_KEY % agreement.pk]
    messages.success(request, _("%(count)d expenses were imported.") % {"count": batch.row_count})
    return redirect(reverse("finance:expense_list", args=[agreement.pk]))


# --- SIE import and its account rules ------------------------------------------------------


@login_required
def sie_import(request, agreement_pk):
    """Upload → preview of every transaction's fate. The bytes wait in the session until
    confirmed, as with the CSV import."""
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(STAFF,))
    form = SieImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        preview = preview_sie(agreement, raw, upload.name)
        request.session[SIE_SESSION_KEY % agreement.pk] = {
            "name": upload.name,
            "data": raw.decode("latin-1"),  # bytes kept losslessly as a JSON string
            "sha256": preview.sha256,
        }
    return render(
        request,
        "finance/sie_import.html",
        {
            "agreement": agreement,
            "form": form,
            "preview": preview,
            "has_rules": agreement.sie_rules.exists(),
        },
    )


@require_POST
@login_required
def sie_import_confirm(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(STAFF,))
    pending = request.session.get(SIE_SESSION_KEY % agreement.pk)
    back = reverse("finance:sie_import", args=[agreement.pk])
    if not pending or pending["sha256"] != request.POST.get("sha256"):
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect(back)
    try:
        batch = import_sie(
            agreement=agreement,
            raw=pending["data"].encode("latin-1"),
            filename=pending["name"],
            user=request.user,
        )
    except NothingToImport as refused:
        _say_why_nothing_was_imported(request, refused.preview)
        return redirect(back)
    del request.session[SIE_SESSION_KEY % agreement.pk]
    messages.success(request, _("%(count)d expenses were imported.") % {"count": batch.row_count})
    return redirect(reverse("finance:expense_list", args=[agreement.pk]))


@login_required
def sie_rule_list(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    rules = SieMappingRule.objects.filter(agreement=agreement).select_related("budget_line")
    return render(
        request,
        "finance/sie_rule_list.html",
        {"agreement": agreement, "rules": rules, "can_write": agreement.user_role == STAFF},
    )


@login_required
def sie_rule_create(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(STAFF,))
    return agreement_form_page(
        request,
        agreement,
        SieMappingRuleForm(request.POST or None, agreement=agreement),
        lambda data: services.create_sie_rule(agreement=agreement, **data),
        title=_("New account rule"),
        done=_("The account rule was saved."),
        back=reverse("finance:sie_rule_list", args=[agreement.pk]),
    )


@login_required
def sie_rule_edit(request, sie_rule_pk):
    rule, agreement = _object_for_user(request.user, SieMappingRule, sie_rule_pk, roles=(STAFF,))
    return agreement_form_page(
        request,
        agreement,
        SieMappingRuleForm(request.POST or None, instance=rule, agreement=agreement),
        lambda data: services.update_sie_rule(rule=rule, **data),
        title=_("Edit account rule"),
        done=_("The account rule was saved."),
        back=reverse("finance:sie_rule_list", args=[agreement.pk]),
    )


@login_required
def sie_rule_delete(request, sie_rule_pk):
    rule, agreement = _object_for_user(request.user, SieMappingRule, sie_rule_pk, roles=(STAFF,))
    return agreement_delete_page(
        request,
        agreement,
        rule,
        back=reverse("finance:sie_rule_list", args=[agreement.pk]),
        delete=lambda: services.delete_sie_rule(rule=rule),
    )


# --- Payments ----------------------------------------------------------------------------


@login_required
def payment_list(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    payments = Payment.objects.filter(agreement=agreement).order_by("-date", "-pk")
    total = payments.aggregate(
        total=Coalesce(Sum("amount"), ZERO, output_field=Payment._meta.get_field("amount"))
    )["total"]
    return render(
        request,
        "finance/payment_list.html",
        {
            "agreement": agreement,
            "page": Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page")),
            "total": total,
            "can_write": agreement.user_role == COORDINATOR,
        },
    )


@login_required
def payment_export(request, agreement_pk, format):  # noqa: A002 - the URL's kwarg
    agreement = get_agreement_for_user(request.user, agreement_pk)
    header, rows = exports.payment_table(
        Payment.objects.filter(agreement=agreement).order_by("date", "pk")
    )
    name = f"payments-{agreement.short_name}"
    if format == "xlsx":
        return xlsx_response(name, _("Payments"), header, rows)
    return csv_response(name, header, rows)


@login_required
def payment_create(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk, roles=(COORDINATOR,))
    return agreement_form_page(
        request,
        agreement,
        PaymentForm(request.POST or None),
        lambda data: services.create_payment(agreement=agreement, user=request.user, **data),
        title=_("New payment"),
        done=_("The payment was saved."),
        back=reverse("finance:payment_list", args=[agreement.pk]),
    )


@login_required
def payment_edit(request, payment_pk):
    payment, agreement = _object_for_user(request.user, Payment, payment_pk, roles=(COORDINATOR,))
    return agreement_form_page(
        request,
        agreement,
        PaymentForm(request.POST or None, instance=payment),
        lambda data: services.update_payment(payment=payment, **data),
        title=_("Edit payment"),
        done=_("The payment was saved."),
        back=reverse("finance:payment_list", args=[agreement.pk]),
    )


@login_required
def payment_delete(request, payment_pk):
    payment, agreement = _object_for_user(request.user, Payment, payment_pk, roles=(COORDINATOR,))
    return agreement_delete_page(
        request,
        agreement,
        payment,
        back=reverse("finance:payment_list", args=[agreement.pk]),
        delete=lambda: services.delete_payment(payment=payment),
    )


# --- In-kind contributions -----------------------------------------------------------------

# Each role enters the hours of its own side: staff the volunteers' hours (idea-driven
# party), coordinators the civil servants' hours (public party).
IN_KIND_FOR_ROLE = {
    STAFF: (InKindContribution.Kind.VOLUNTEER, Party.Role.IDEA_DRIVEN),
    COORDINATOR: (InKindContribution.Kind.CIVIL_SERVANT, Party.Role.PUBLIC),
}


@login_required
def in_kind_list(request, agreement_pk):
    agreement = get_agreement_for_user(request.user, agreement_pk)
    kind, party_role = IN_KIND_FOR_ROLE[agreement.user_role]
    form = InKindForm(request.POST or None)
    if saved(
        request,
        form,
        lambda data: services.create_in_kind(
            agreement=agreement,
            party=agreement.parties.filter(role=party_role).first(),
            kind=kind,
            **data,
        ),
        done=_("The hours were saved."),
    ):
        return redirect("finance:in_kind_list", agreement.pk)
    contributions = InKindContribution.objects.filter(agreement=agreement).order_by("-date", "-pk")
    return render(
        request,
        "finance/in_kind_list.html",
        {
            "agreement": agreement,
            "form": form,
            "own_kind": InKindContribution.Kind(kind),
            "page": Paginator(contributions, PAGE_SIZE).get_page(request.GET.get("page")),
            "in_kind": in_kind_figures(agreement, agreement.start_date, agreement.end_date),
        },
    )


@login_required
def in_kind_delete(request, contribution_pk):
    contribution, agreement = _object_for_user(request.user, InKindContribution, contribution_pk)
    kind, _party_role = IN_KIND_FOR_ROLE[agreement.user_role]
    if contribution.kind != kind:
        raise PermissionDenied
    return agreement_delete_page(
        request,
        agreement,
        contribution,
        back=reverse("finance:in_kind_list", args=[agreement.pk]),
        delete=lambda: services.delete_in_kind(contribution=contribution),
    )
