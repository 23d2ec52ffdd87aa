from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, ReadOnlyHistoryAdmin
from core.formatting import format_sek

from . import lifecycle
from .admin_mixins import KeyCheckingAutocompleteMixin
from .models import (
    Agreement,
    Amendment,
    AmendmentChange,
    BudgetLine,
    Commitment,
    ContactPerson,
    Funding,
    Goal,
    Indicator,
    LockedPeriod,
    Membership,
    Organisation,
    Party,
    ReportingDeadline,
    Signatory,
    StaffPosition,
    StatusChange,
)
from .services import recompute_budget_line_from_positions


class AtLeastTwoPartiesFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("organisation")
        ]
        if len(kept) < 2:
            raise ValidationError(gettext("An agreement needs at least two parties."))
        roles = {f.cleaned_data["role"] for f in kept}
        if roles != {Party.Role.PUBLIC, Party.Role.IDEA_DRIVEN}:
            raise ValidationError(
                gettext("An IOP needs at least one public and one idea-driven party.")
            )


class BudgetLinesAddUpFormSet(BaseInlineFormSet):
    """The budget lines must add up to the total written in the agreement."""

    def clean(self):
        super().clean()
        total = sum(
            (
                f.cleaned_data.get("amount") or 0
                for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ),
            0,
        )
        expected = self.instance.budget_total
        if expected is not None and total != expected:
            raise ValidationError(
                gettext(
                    "The budget lines add up to %(lines)s, but the agreement's total is "
                    "%(total)s. Correct a line or the total."
                )
                % {"lines": format_sek(total), "total": format_sek(expected)}
            )


class PartyInline(KeyCheckingAutocompleteMixin, admin.TabularInline):
    model = Party
    formset = AtLeastTwoPartiesFormSet
    extra = 0
    min_num = 2
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "order", "commitments_preamble"]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["party", "kind", "order", "text"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "party" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = Party.objects.filter(
                agreement_id=request.resolver_match.kwargs["object_id"]
            ).select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    formset = BudgetLinesAddUpFormSet
    extra = 0
    fields = ["order", "category", "text", "amount", "description"]
    show_change_link = True


class DeadlineInline(admin.TabularInline):
    model = ReportingDeadline
    extra = 0
    fields = ["kind", "period_start", "period_end", "due_date", "relative_to_end"]


class AmendmentInline(admin.StackedInline):
    model = Amendment
    extra = 0


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    fields = ["kind", "party", "contributor_name", "amount", "description"]


class ContactInline(KeyCheckingAutocompleteMixin, admin.TabularInline):
    model = ContactPerson
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "name", "title", "department", "email", "phone", "order"]


class SignatoryInline(KeyCheckingAutocompleteMixin, admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "name", "title", "signed_on", "order"]


@admin.register(Agreement)
class AgreementAdmin(HistoryAdmin):
    list_display = [
        "title",
        "short_name",
        "case_number",
        "start_date",
        "end_date",
        "status",
        "budget_display",
    ]
    list_filter = ["status", "start_date", "parties__organisation"]
    search_fields = ["title", "short_name", "case_number", "parties__organisation__name"]
    date_hierarchy = "start_date"
    # The status changes through the coordinator's pages or the actions below, recorded.
    readonly_fields = ["status", "budget_check"]
    actions = ["activate_agreements", "end_agreements"]
    inlines = [
        PartyInline,
        CommitmentInline,
        BudgetLineInline,
        FundingInline,
        DeadlineInline,
        AmendmentInline,
        ContactInline,
        SignatoryInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "short_name", "case_number", "status", "renews"]}),
        (
            _("Period and deadlines"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "final_report_months_before_end",
                    "close_out_months_after_end",
                    "reminder_days",
                ]
            },
        ),
        (_("Budget"), {"fields": ["budget_total", "budget_check", "deviation_threshold_percent"]}),
        (
            _("The agreement's text"),
            {"fields": list(Agreement.SECTION_FIELDS), "classes": ["collapse"]},
        ),
        (_("Signing"), {"fields": ["signing_date", "signing_place"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_budget_sum()

    def _change_status(self, request, queryset, change):
        for agreement in queryset:
            try:
                change(agreement=agreement, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{agreement}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    gettext("%(agreement)s is now “%(status)s”.")
                    % {
                        "agreement": agreement,
                        "status": Agreement.objects.get(pk=agreement.pk).get_status_display(),
                    },
                    messages.SUCCESS,
                )

    @admin.action(description=_("Activate the chosen drafts"))
    def activate_agreements(self, request, queryset):
        self._change_status(request, queryset, lifecycle.activate)

    @admin.action(description=_("End the chosen agreements"))
    def end_agreements(self, request, queryset):
        self._change_status(request, queryset, lifecycle.end)

    @admin.display(description=_("budget total"), ordering="budget_total")
    def budget_display(self, obj):
        return format_sek(obj.budget_total)

    @admin.display(description=_("sum of budget lines"))
    def budget_check(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        lines = obj.budget_lines_total()
        if lines == obj.budget_total:
            return gettext("%(sum)s – matches the total") % {"sum": format_sek(lines)}
        return gettext("%(sum)s – does NOT match the total of %(total)s") % {
            "sum": format_sek(lines),
            "total": format_sek(obj.budget_total),
        }


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "org_number", "sector", "city"]
    list_filter = ["sector"]
    search_fields = ["name", "org_number"]


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdmin):
    list_display = ["short_text", "agreement", "party", "kind", "order"]
    list_filter = ["kind", "agreement", "party__role"]
    search_fields = ["text", "agreement__title"]
    list_select_related = ["agreement", "party__organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A commitment's party is one of its own agreement's: a saved commitment offers only
        those; a new one names each party with its agreement, as the same organisation is a
        party to several (Commitment.clean() refuses another agreement's party)."""
        if db_field.name == "party":
            parties = Party.objects.select_related("agreement", "organisation")
            object_id = request.resolver_match.kwargs.get("object_id")
            if object_id:
                commitment = Commitment.objects.filter(pk=object_id).first()
                if commitment is not None:
                    parties = parties.filter(agreement_id=commitment.agreement_id)
            kwargs["queryset"] = parties
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "party":
            field.label_from_instance = lambda party: f"{party.agreement.short_name}: {party}"
        return field


class StaffPositionInline(admin.TabularInline):
    model = StaffPosition
    extra = 0
    fields = ["title", "count", "fte_percent", "monthly_cost", "months", "cost_display"]
    readonly_fields = ["cost_display"]

    @admin.display(description=_("cost"))
    def cost_display(self, obj):
        return format_sek(obj.cost) if obj.pk else "–"


@admin.register(BudgetLine)
class BudgetLineAdmin(HistoryAdmin):
    list_display = ["text", "agreement", "category", "amount_display"]
    list_filter = ["category", "agreement"]
    search_fields = ["text", "agreement__title"]
    inlines = [StaffPositionInline]
    list_select_related = ["agreement"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_sek(obj.amount)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        line = recompute_budget_line_from_positions(budget_line=form.instance)
        agreement = line.agreement
        if agreement.budget_lines_total() != agreement.budget_total:
            self.message_user(
                request,
                gettext(
                    "The budget lines now add up to %(lines)s, not the agreement's total of "
                    "%(total)s."
                )
                % {
                    "lines": format_sek(agreement.budget_lines_total()),
                    "total": format_sek(agreement.budget_total),
                },
                level=messages.WARNING,
            )


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "name", "unit", "baseline", "target", "origin", "activity_type"]


@admin.register(Goal)
class GoalAdmin(HistoryAdmin):
    list_display = ["__str__", "agreement", "order"]
    list_filter = ["agreement"]
    inlines = [IndicatorInline]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(HistoryAdmin):
    list_display = ["agreement", "kind", "period_start", "period_end", "due_date"]
    list_filter = ["kind", "agreement"]


@admin.register(Membership)
class MembershipAdmin(KeyCheckingAutocompleteMixin, HistoryAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(LockedPeriod)
class LockedPeriodAdmin(HistoryAdmin):
    list_display = ["agreement", "start_date", "end_date", "reason", "locked_at"]
    list_filter = ["agreement"]


for model in (Amendment, ContactPerson, Signatory, Funding, Party):
    admin.site.register(model, HistoryAdmin)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyHistoryAdmin):
    """Read-only: a change of status is made by ``partnership.lifecycle``."""

    list_display = ["agreement", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    list_select_related = ["agreement", "changed_by"]


@admin.register(AmendmentChange)
class AmendmentChangeAdmin(ReadOnlyHistoryAdmin):
    """Read-only: a change of a term is recorded by ``partnership.amendments`` when the
    amendment is made."""

    list_display = ["amendment", "kind", "term"]
    list_filter = ["kind"]
    list_select_related = ["amendment__agreement"]
