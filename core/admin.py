"""The Django admin base of every model with a history: its history page shows values as a
reader reads them (``core.readable``), as the agreement's history page does."""

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
