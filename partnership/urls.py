from django.urls import path

from . import finance_views, views

app_name = "partnership"

urlpatterns = [
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/history/", views.agreement_history, name="agreement_history"),
    path("<int:agreement_pk>/budget/", finance_views.budget, name="budget"),
    path("<int:agreement_pk>/budget.xlsx", finance_views.budget_xlsx, name="budget_xlsx"),
    path("<int:agreement_pk>/expenses/", finance_views.expense_list, name="expense_list"),
    path("<int:agreement_pk>/expenses/new/", finance_views.expense_create, name="expense_create"),
    path(
        "<int:agreement_pk>/expenses/import/", finance_views.expense_import, name="expense_import"
    ),
    path(
        "<int:agreement_pk>/expenses/import/confirm/",
        finance_views.expense_import_confirm,
        name="expense_import_confirm",
    ),
    path("expenses/<int:expense_pk>/edit/", finance_views.expense_edit, name="expense_edit"),
    path("expenses/<int:expense_pk>/delete/", finance_views.expense_delete, name="expense_delete"),
    path("<int:agreement_pk>/payments/", finance_views.payment_list, name="payment_list"),
    path("<int:agreement_pk>/payments/new/", finance_views.payment_create, name="payment_create"),
    path("payments/<int:payment_pk>/edit/", finance_views.payment_edit, name="payment_edit"),
    path("payments/<int:payment_pk>/delete/", finance_views.payment_delete, name="payment_delete"),
    path("<int:agreement_pk>/in-kind/", finance_views.in_kind_list, name="in_kind_list"),
    path(
        "in-kind/<int:contribution_pk>/delete/",
        finance_views.in_kind_delete,
        name="in_kind_delete",
    ),
]
