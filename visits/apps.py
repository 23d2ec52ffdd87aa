from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = _("Visits and activities")

    def ready(self):
        from partnership import locks

        # An approved report locks the sessions, their counts and the activities of its
        # period; a visitor count is dated by its session.
        locks.register(self.get_model("Session"))
        locks.register(self.get_model("VisitorCount"), _session_date)
        locks.register(self.get_model("Activity"))


def _session_date(count):
    return count.session.agreement_id, count.session.date
