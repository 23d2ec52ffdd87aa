from django.urls import path

from . import views

app_name = "dialogue"

urlpatterns = [
    path("<int:agreement_pk>/meetings/", views.meeting_list, name="meeting_list"),
    path("<int:agreement_pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:meeting_pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path(
        "meetings/<int:meeting_pk>/action-items/new/",
        views.action_item_create,
        name="action_item_create",
    ),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("action-items/<int:pk>/delete/", views.action_item_delete, name="action_item_delete"),
    path("<int:agreement_pk>/extend/", views.agreement_extend, name="agreement_extend"),
    path("<int:agreement_pk>/learning/", views.learning_list, name="learning_list"),
    path("learning/<int:pk>/edit/", views.learning_edit, name="learning_edit"),
    path("learning/<int:pk>/delete/", views.learning_delete, name="learning_delete"),
]
