"""Admin of this app: venues with their opening pattern, age bands, partner organisations,
sessions with their visitor counts, and activities, all with their history."""

from django.contrib import admin

from core.admin import HistoryAdmin
from partnership.admin_mixins import LockedParentInlineMixin, LockedPeriodAdminMixin

from .models import (
    Activity,
    AgeBand,
    OpeningHours,
    PartnerOrganisation,
    Session,
    Venue,
    VisitorCount,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Venue)
class VenueAdmin(HistoryAdmin):
    list_display = ("name", "agreement", "kind", "closed_on_public_holidays", "is_active", "order")
    list_filter = ("kind", "is_active", "agreement")
    search_fields = ("name", "agreement__title", "agreement__short_name")
    inlines = [OpeningHoursInline]
    list_select_related = ("agreement",)


@admin.register(AgeBand)
class AgeBandAdmin(HistoryAdmin):
    list_display = ("label", "agreement", "min_age", "max_age", "order")
    list_filter = ("agreement",)
    list_select_related = ("agreement",)


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(HistoryAdmin):
    search_fields = ("name",)


class VisitorCountInline(LockedParentInlineMixin, admin.TabularInline):
    model = VisitorCount
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the age bands of the session's own agreement.
        if db_field.name == "age_band" and request.resolver_match.kwargs.get("object_id"):
            session = Session.objects.filter(pk=request.resolver_match.kwargs["object_id"]).first()
            if session:
                kwargs["queryset"] = AgeBand.objects.filter(agreement=session.agreement_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Session)
class SessionAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ("date", "start_time", "venue", "agreement", "staff_on_duty", "volunteer_hours")
    list_filter = ("venue__kind", "agreement")
    list_per_page = 50
    date_hierarchy = "date"
    list_select_related = ("venue", "agreement")
    raw_id_fields = ("created_by",)
    inlines = [VisitorCountInline]


@admin.register(Activity)
class ActivityAdmin(LockedPeriodAdminMixin, HistoryAdmin):
    list_display = ("date", "type", "agreement", "participants", "coupons", "hostel_nights")
    list_filter = ("type", "agreement")
    list_per_page = 50
    date_hierarchy = "date"
    list_select_related = ("agreement",)
    filter_horizontal = ("commitments", "partners")
    raw_id_fields = ("created_by",)
