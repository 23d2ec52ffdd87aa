from django.apps import AppConfig


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "finance"

    def ready(self):
        from partnership import locks

        # An approved report locks the expenses of its period.
        locks.register(self.get_model("Expense"))
