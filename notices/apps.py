from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notices"
    verbose_name = _("E-mail notices")

    def ready(self):
        from reporting.signals import report_changed

        from .receivers import queue_workflow_notice

        report_changed.connect(queue_workflow_notice, dispatch_uid="notices-report-changed")
