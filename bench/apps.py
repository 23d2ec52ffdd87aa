from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark (``manage.py benchmark``, ``benchmark_report``): a development tool,
    installed only with DEBUG on. No product app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bench"
