from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("agreement/<int:agreement_pk>/", views.report_list, name="report_list"),
    path("agreement/<int:agreement_pk>/audit-bundle.zip", views.audit_bundle, name="audit_bundle"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path(
        "<int:pk>/commitments/<int:commitment_pk>/",
        views.follow_up_edit,
        name="follow_up_edit",
    ),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("version/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
