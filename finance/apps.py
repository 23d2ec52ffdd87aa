from django.apps import AppConfig


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "finance"

    def ready(self):
        from partnership import locks

        # An approved report locks the money of its period: expenses, payments, in-kind hours.
        for name in ("Expense", "Payment", "InKindContribution"):
            locks.register(self.get_model(name))
