from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyHistoryAdmin
from partnership.admin_mixins import LockedPeriodAdminMixin

from .models import Expense, InKindContribution, Payment, Repayment, SieMappingRule, SieVoucher


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
    # Set by the SIE import only: the voucher is what allows a credit (a negative amount).
    readonly_fields = ["sie_voucher"]


@admin.register(InKindContribution)
class InKindContributionAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ["date", "agreement", "kind", "hours"]
    list_filter = ["kind", "agreement"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyHistoryAdmin):
    """Read-only: a repayment is recorded by the approval of the close-out, which holds the
    decision, and taken back by reopening it."""

    list_display = ["agreement", "date", "amount", "reference"]
    list_filter = ["agreement"]


@admin.register(SieMappingRule)
class SieMappingRuleAdmin(HistoryAdmin):
    list_display = [
        "agreement",
        "account_from",
        "account_to",
        "dimension",
        "object_id",
        "budget_line",
    ]
    list_filter = ["agreement"]


@admin.register(SieVoucher)
class SieVoucherAdmin(ReadOnlyHistoryAdmin):
    """Read-only: written by the SIE import, the record that a voucher was imported."""

    list_display = ["agreement", "fiscal_year_start", "series", "number", "date", "text"]
    list_filter = ["agreement", "fiscal_year_start"]
    search_fields = ["number", "text"]
