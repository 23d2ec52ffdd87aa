from django.urls import path

from . import views

app_name = "partnership"

urlpatterns = [
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/history/", views.agreement_history, name="agreement_history"),
    path(
        "<int:pk>/activate/",
        views.agreement_status,
        {"change": "activate"},
        name="agreement_activate",
    ),
    path("<int:pk>/end/", views.agreement_status, {"change": "end"}, name="agreement_end"),
    path("<int:pk>/reopen/", views.agreement_status, {"change": "reopen"}, name="agreement_reopen"),
    path("<int:pk>/renew/", views.agreement_renew, name="agreement_renew"),
    path("<int:pk>/as-of/", views.agreement_as_of, name="agreement_as_of"),
    path("<int:pk>/amend/", views.agreement_amend, name="agreement_amend"),
    path("amendment/<int:pk>/", views.amendment_detail, name="amendment_detail"),
]
