from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdminMixin

from .models import Notice, Preference


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The sent log: read-only, to see what went out and what failed."""

    list_display = ["kind", "recipient", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(Preference)
class PreferenceAdmin(HistoryAdmin):
    list_display = ["user", "language", "reminders", "workflow"]
    list_select_related = ["user"]
