from django.urls import path, re_path

from . import views

app_name = "visits"

urlpatterns = [
    path("<int:agreement_pk>/sessions/", views.session_list, name="session_list"),
    re_path(
        r"^(?P<agreement_pk>[0-9]+)/sessions/export\.(?P<format>csv|xlsx)$",
        views.session_export,
        name="session_export",
    ),
    path("<int:agreement_pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/tally/", views.tally, name="tally"),
    path("sessions/<int:pk>/tally/tap/", views.tally_tap, name="tally_tap"),
    path("<int:agreement_pk>/today/", views.today_choose, name="today_choose"),
    path("<int:agreement_pk>/today/<int:venue_pk>/", views.today, name="today"),
    path("<int:agreement_pk>/activities/", views.activity_list, name="activity_list"),
    re_path(
        r"^(?P<agreement_pk>[0-9]+)/activities/export\.(?P<format>csv|xlsx)$",
        views.activity_export,
        name="activity_export",
    ),
    path("<int:agreement_pk>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
]
