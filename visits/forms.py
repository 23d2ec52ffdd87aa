"""Forms of the visits app. Dates are ISO only (Django's Swedish locale would also take
US-style dates); the model's validators and constraints stand behind every field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import iso_date_field, name_the_empty_choice

from .models import Activity, PartnerOrganisation, Session
from .services import SESSION_FIELDS


def time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SessionForm(forms.ModelForm):
    date = iso_date_field(_("date"))

    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)  # what services.create/update_session accept
        widgets = {
            "start_time": time_widget(),
            "end_time": time_widget(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["venue"].queryset = agreement.venues.filter(is_active=True) | (
            agreement.venues.filter(pk=self.instance.venue_id)
        )
        name_the_empty_choice(self.fields["venue"], _("Choose a venue"))
        for name in ("staff_on_duty", "volunteers_on_duty", "volunteer_hours", "new_visitors"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "decimal"})


class ActivityForm(forms.ModelForm):
    date = iso_date_field(_("date"))

    class Meta:
        model = Activity
        fields = [
            "date",
            "type",
            "venue",
            "commitments",
            "partners",
            "participants",
            "coupons",
            "hostel_nights",
            "referrals",
            "volunteer_hours",
            "description",
        ]
        widgets = {
            "commitments": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["venue"].queryset = agreement.venues.all()
        name_the_empty_choice(self.fields["venue"], _("No venue"))
        name_the_empty_choice(self.fields["type"], _("Choose a type"))
        self.fields["commitments"].queryset = agreement.commitments.select_related(
            "party__organisation"
        )
        self.fields["commitments"].label_from_instance = lambda c: (
            f"{c.party.organisation.name}: {c.short_text}"
        )
        self.fields["partners"].queryset = PartnerOrganisation.objects.all()
        for name in ("participants", "coupons", "hostel_nights", "referrals", "volunteer_hours"):
            self.fields[name].widget.attrs.update({"min": 0})


class _FilterForm(forms.Form):
    """A filter above a list: Bootstrap's controls, as wide as their column (a long option,
    a commitment's text, must not widen the page on a phone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class SessionFilterForm(_FilterForm):
    date_from = iso_date_field(_("from"), required=False)
    date_to = iso_date_field(_("to"), required=False)
    venue = forms.ModelChoiceField(queryset=None, required=False, label=_("venue"))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = agreement.venues.all()
        name_the_empty_choice(self.fields["venue"], _("All venues"))


class ActivityFilterForm(_FilterForm):
    date_from = iso_date_field(_("from"), required=False)
    date_to = iso_date_field(_("to"), required=False)
    type = forms.ChoiceField(
        choices=[("", _("All types"))] + list(Activity.Type.choices),
        required=False,
        label=_("type"),
    )
    commitment = forms.ModelChoiceField(queryset=None, required=False, label=_("commitment"))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = agreement.commitments.all()
        name_the_empty_choice(self.fields["commitment"], _("All commitments"))


def apply_period(qs, data):
    if data.get("date_from"):
        qs = qs.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(date__lte=data["date_to"])
    return qs
