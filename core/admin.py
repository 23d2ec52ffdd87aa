"""The Django admin base of every model with a history: its history page shows values as a
reader reads them (``core.readable``), as the agreement's history page does. And the login
attempts of django-axes, in the project's words."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db.models import ManyToManyField
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .readable import readable_value, related_rows


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    """Choice labels, names of related rows and users, local time, money and dates, instead
    of the stored values (a user's id, a choice's code, a UTC timestamp)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable_value(field, value, related_rows([(field, value)]))


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)


class ReadOnlyAdminMixin:
    """For rows the app writes and the admin only shows: nothing is added or changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """A record the app keeps (a frozen report version, a change of status, an imported
    voucher, …): shown with its history, never added, changed or deleted in the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


# django-axes' records of logins, read-only, in the project's words (axes' own admin, with
# its English column and action names, is switched off: AXES_ENABLE_ADMIN = False). Deleting
# an access attempt unlocks that login, as `manage.py axes_reset_username` does.


class _ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(AccessAttempt)
class AccessAttemptAdmin(_ReadOnlyAdmin):
    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "path_info"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    exclude = ["get_data", "post_data", "http_accept"]


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(_ReadOnlyAdmin):
    list_display = ["attempt_time", "username", "ip_address", "locked_out", "path_info"]
    list_filter = ["attempt_time", "locked_out"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    exclude = ["http_accept"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(_ReadOnlyAdmin):
    list_display = ["attempt_time", "logout_time", "username", "ip_address", "path_info"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    exclude = ["http_accept", "session_hash"]

    def has_delete_permission(self, request, obj=None):
        return False
