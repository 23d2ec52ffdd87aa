"""Reports in admin: the narrative and status are editable by an admin; submitted versions
are read-only (a frozen snapshot never changes) and cannot be added or deleted here."""

from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyHistoryAdmin

from .models import CalendarToken, Report, ReportVersion


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ("number", "submitted_at", "submitted_by", "decision", "decided_at", "sha256", "pdf")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(HistoryAdmin):
    list_display = ("__str__", "agreement_name", "status", "updated_at")
    list_filter = ("status", "deadline__kind")
    list_select_related = ("deadline", "agreement")
    readonly_fields = ("deadline", "status", "locked_period", "repayment", "updated_at")
    inlines = [ReportVersionInline]

    @admin.display(description="agreement")
    def agreement_name(self, obj):
        return obj.agreement.short_name

    def has_add_permission(self, request):
        # A report is made with its deadline (a post_save receiver); an add form would have
        # no deadline to give it (found by the fuzz test: a server error).
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyHistoryAdmin):
    """The change page renders read-only for those who may view."""

    list_display = ("__str__", "submitted_at", "decision", "sha256")
    list_filter = ("decision",)
    list_select_related = ("report__deadline",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False
