from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:agreement_pk>/documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("documents/<int:pk>/remove/", views.document_delete, name="document_delete"),
]
