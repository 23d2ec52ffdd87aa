from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: base templates, formatting filters, /healthz, backup and
    restore, CRUD view helpers and the chart engine. Imports no domain app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
