from django.contrib import admin

from core.admin import HistoryAdmin
from partnership.admin_mixins import LockedPeriodAdminMixin

from .models import Expense, InKindContribution, Payment, Repayment


@admin.register(Payment)
class PaymentAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ["date", "agreement", "amount", "reference"]
    list_filter = ["agreement"]
    date_hierarchy = "date"


@admin.register(Expense)
class ExpenseAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ["date", "agreement", "budget_line", "amount", "voucher_reference"]
    list_filter = ["agreement", "budget_line__category"]
    list_per_page = 50
    search_fields = ["description", "voucher_reference"]
    date_hierarchy = "date"


@admin.register(InKindContribution)
class InKindContributionAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ["date", "agreement", "kind", "hours"]
    list_filter = ["kind", "agreement"]


@admin.register(Repayment)
class RepaymentAdmin(HistoryAdmin):
    """Read-only: a repayment is recorded by the approval of the close-out, which holds the
    decision, and taken back by reopening it."""

    list_display = ["agreement", "date", "amount", "reference"]
    list_filter = ["agreement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
