from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from partnership import lifecycle, locks

        # An approved report locks the money of its period: expenses, payments, in-kind hours.
        for name in ("Expense", "Payment", "InKindContribution"):
            locks.register(self.get_model(name))
            # A draft or ended agreement takes no logs, money included.
            lifecycle.register(self.get_model(name))
