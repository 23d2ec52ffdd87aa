from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def create_report_for_new_deadline(sender, instance, created, raw=False, **kwargs):
    """A deadline gets its (draft) report when it is saved, so that no page has to create
    one on a GET. A restore (``raw``) brings the reports with it."""
    if created and not raw:
        from .services import create_report

        create_report(deadline=instance)


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = _("Follow-up")

    def ready(self):
        from partnership import timeline

        from .timeline import report_entries

        timeline.register(report_entries)
        post_save.connect(
            create_report_for_new_deadline,
            sender=self.apps.get_model("partnership", "ReportingDeadline"),
            dispatch_uid="reporting-report-for-new-deadline",
        )
