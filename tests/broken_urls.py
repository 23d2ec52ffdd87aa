"""The project's urlconf plus a view that fails, for the server-error page's test."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", failing_view, name="boom"), *project_urlpatterns]
