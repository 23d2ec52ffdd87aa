from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = _("Visits and activities")

    def ready(self):
        from partnership import lifecycle, locks

        # An approved report locks the sessions, their counts and the activities of its
        # period; a visitor count is dated by its session.
        locks.register(self.get_model("Session"))
        locks.register(self.get_model("VisitorCount"), _session_date)
        locks.register(self.get_model("Activity"))
        # A draft or ended agreement takes no logs.
        lifecycle.register(self.get_model("Session"))
        lifecycle.register(self.get_model("VisitorCount"), _session_agreement)
        lifecycle.register(self.get_model("Activity"))
        # A renewal keeps the venues and age bands.
        from .services import copy_to_renewal

        lifecycle.register_renewal_copier(copy_to_renewal)


def _session_date(count):
    return count.session.agreement_id, count.session.date


def _session_agreement(count):
    return count.session.agreement_id
