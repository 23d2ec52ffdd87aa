"""The project's urlconf plus a view that forgot ``@login_required``, for proving that the
URL walk in test_url_access.py catches such a view."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def forgotten_view(request, pk):
    return HttpResponse("secret")


urlpatterns = [path("leak/<int:pk>/", forgotten_view, name="leak"), *project_urlpatterns]
