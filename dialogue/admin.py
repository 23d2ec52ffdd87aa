from django.contrib import admin

from core.admin import HistoryAdmin
from partnership.admin_mixins import LockedParentInlineMixin, LockedPeriodAdminMixin

from .models import ActionItem, Decision, LearningEntry, Meeting


class DecisionInline(LockedParentInlineMixin, admin.StackedInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ["agreement", "date", "kind"]
    list_filter = ["agreement", "kind"]
    inlines = [DecisionInline]


@admin.register(ActionItem)
class ActionItemAdmin(HistoryAdmin):
    list_display = ["text", "agreement", "party", "due_date", "done_on"]
    list_filter = ["agreement"]


@admin.register(LearningEntry)
class LearningEntryAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ["agreement", "date", "theme", "party"]
    list_filter = ["agreement", "theme"]
