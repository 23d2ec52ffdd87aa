from django.urls import path, re_path

from . import views

app_name = "finance"

urlpatterns = [
    path("<int:agreement_pk>/budget/", views.budget, name="budget"),
    path("<int:agreement_pk>/budget.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path("<int:agreement_pk>/expenses/", views.expense_list, name="expense_list"),
    re_path(
        r"^(?P<agreement_pk>[0-9]+)/expenses/export\.(?P<format>csv|xlsx)$",
        views.expense_export,
        name="expense_export",
    ),
    path("<int:agreement_pk>/expenses/new/", views.expense_create, name="expense_create"),
    path("<int:agreement_pk>/expenses/import/", views.expense_import, name="expense_import"),
    path(
        "<int:agreement_pk>/expenses/import/confirm/",
        views.expense_import_confirm,
        name="expense_import_confirm",
    ),
    path("<int:agreement_pk>/expenses/sie/", views.sie_import, name="sie_import"),
    path(
        "<int:agreement_pk>/expenses/sie/confirm/",
        views.sie_import_confirm,
        name="sie_import_confirm",
    ),
    path("<int:agreement_pk>/account-rules/", views.sie_rule_list, name="sie_rule_list"),
    path("<int:agreement_pk>/account-rules/new/", views.sie_rule_create, name="sie_rule_create"),
    path("account-rules/<int:sie_rule_pk>/edit/", views.sie_rule_edit, name="sie_rule_edit"),
    path("account-rules/<int:sie_rule_pk>/delete/", views.sie_rule_delete, name="sie_rule_delete"),
    path("expenses/<int:expense_pk>/edit/", views.expense_edit, name="expense_edit"),
    path("expenses/<int:expense_pk>/delete/", views.expense_delete, name="expense_delete"),
    path("<int:agreement_pk>/payments/", views.payment_list, name="payment_list"),
    re_path(
        r"^(?P<agreement_pk>[0-9]+)/payments/export\.(?P<format>csv|xlsx)$",
        views.payment_export,
        name="payment_export",
    ),
    path("<int:agreement_pk>/payments/new/", views.payment_create, name="payment_create"),
    path("payments/<int:payment_pk>/edit/", views.payment_edit, name="payment_edit"),
    path("payments/<int:payment_pk>/delete/", views.payment_delete, name="payment_delete"),
    path("<int:agreement_pk>/in-kind/", views.in_kind_list, name="in_kind_list"),
    path(
        "in-kind/<int:contribution_pk>/delete/",
        views.in_kind_delete,
        name="in_kind_delete",
    ),
]
