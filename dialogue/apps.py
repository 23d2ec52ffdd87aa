from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dialogue"
    verbose_name = _("Dialogue and learning")

    def ready(self):
        from partnership import locks

        # An approved report locks the dialogue of its period: its meetings (with their
        # decisions) and the learning log.
        locks.register(self.get_model("Meeting"))
        locks.register(self.get_model("LearningEntry"))
        locks.register(
            self.get_model("Decision"),
            target=lambda decision: (decision.meeting.agreement_id, decision.meeting.date),
        )
