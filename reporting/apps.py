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
        from documents.registry import register as allow_documents
        from partnership import timeline
        from partnership.access import STAFF

        from .models import Report
        from .timeline import report_entries

        # The association attaches documents to its report while it drafts it; a submitted
        # or approved report's documents stay as they were sent.
        allow_documents(
            Report,
            roles=(STAFF,),
            rows=lambda agreement: Report.objects.filter(agreement=agreement).select_related(
                "deadline"
            ),
            lock_date=lambda report: report.deadline.period_end,
            frozen=lambda report: (
                None
                if report.is_editable
                else _("The report has been submitted, so its documents do not change.")
            ),
        )

        timeline.register(report_entries)
        post_save.connect(
            create_report_for_new_deadline,
            sender=self.apps.get_model("partnership", "ReportingDeadline"),
            dispatch_uid="reporting-report-for-new-deadline",
        )
