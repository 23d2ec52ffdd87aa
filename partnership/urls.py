from django.urls import path

from . import views

app_name = "partnership"

urlpatterns = [
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/history/", views.agreement_history, name="agreement_history"),
]
