from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnership.admin_mixins import LockedPeriodAdminMixin

from .models import Expense, InKindContribution, Payment


@admin.register(Payment)
class PaymentAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "agreement", "amount", "reference"]
    list_filter = ["agreement"]
    date_hierarchy = "date"


@admin.register(Expense)
class ExpenseAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "agreement", "budget_line", "amount", "voucher_reference"]
    list_filter = ["agreement", "budget_line__category"]
    list_per_page = 50
    search_fields = ["description", "voucher_reference"]
    date_hierarchy = "date"


@admin.register(InKindContribution)
class InKindContributionAdmin(LockedPeriodAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "agreement", "kind", "hours"]
    list_filter = ["kind", "agreement"]
