"""Third-party apps under the project's own names (Django's documented way: a subclass of
the app's AppConfig in INSTALLED_APPS)."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginAttemptsConfig(AxesConfig):
    """django-axes (login throttling), named in Swedish in Django admin."""

    verbose_name = _("Login attempts")
