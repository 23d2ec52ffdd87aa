"""Forms of the agreement's own pages: its changes of status, its renewal, its amendments and
the day it is read as of."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.formatting import format_sek
from core.forms import iso_date_field

from .models import (
    Agreement,
    Amendment,
    Commitment,
    StaffPosition,
    StatusChange,
)


class StatusChangeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=StatusChange._meta.get_field("note").max_length,
        required=False,
        help_text=_("Why, in a sentence (required when an ended agreement is reopened)."),
    )


class RenewalForm(forms.Form):
    start_date = iso_date_field(_("Start date"))
    end_date = iso_date_field(_("End date"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return cleaned


class AsOfForm(forms.Form):
    date = iso_date_field(_("Date"))


class BudgetFields:
    """The fields of a budget change, added to a form by ``add_budget_fields``: a line of its
    own gets its amount (the current one to start with); a personnel line built from staff
    positions gets the months of each position (count × FTE × monthly cost × months), its
    amount following them. ``budget_arguments`` gives what changed, as
    ``partnership.amendments.change_budget`` takes it."""

    def add_budget_fields(self, agreement):
        self.lines = list(agreement.budget_lines.prefetch_related("positions"))
        for line in self.lines:
            positions = list(line.positions.all())
            if not positions:
                self.fields[f"line_{line.pk}"] = forms.DecimalField(
                    label=_("Budget line “%(line)s” (kr)") % {"line": line.text},
                    initial=line.amount,
                    min_value=0,
                    max_digits=14,
                    decimal_places=0,
                )
            for position in positions:
                self.fields[f"position_{position.pk}"] = forms.IntegerField(
                    label=_("“%(line)s”: months of %(position)s")
                    % {"line": line.text, "position": position.title},
                    help_text=_("%(count)s × %(fte)s %% × %(cost)s a month")
                    % {
                        "count": position.count,
                        "fte": position.fte_percent,
                        "cost": format_sek(position.monthly_cost),
                    },
                    initial=position.months,
                    min_value=1,
                    max_value=StaffPosition.MAX_MONTHS,
                )

    def budget_arguments(self) -> dict:
        data = self.cleaned_data
        amounts, months = {}, {}
        for line in self.lines:
            for position in line.positions.all():
                if data[f"position_{position.pk}"] != position.months:
                    months[position] = data[f"position_{position.pk}"]
            name = f"line_{line.pk}"
            if name in data and data[name] != line.amount:
                amounts[line] = data[name]
        return {"budget": amounts, "months": months}


def _model_field(model, name, **kwargs):
    """The form field of a model field, with its own rules (``LineField``, ``ProseField``)."""
    return model._meta.get_field(name).formfield(**kwargs)


class AmendmentForm(BudgetFields, forms.Form):
    """An amendment made by hand: its number comes next, its title and text are the annex;
    the terms it changes are the period, the prose sections and the commitments (one field
    each for its new text, in full: an empty one leaves it as it is) and the budget
    (``BudgetFields``). What is left as it is does not change."""

    # Field names the service's errors are keyed by → the field that shows them (None: above
    # the form).
    SERVICE_ERROR_FIELDS = {
        "start_date": "start_date",
        "end_date": "end_date",
        "sections": None,
        "commitments": None,
        "budget": None,
        "title": "title",
        "text": "text",
        "date": "date",
    }

    title = _model_field(Amendment, "title")
    date = iso_date_field(_("Date of the amendment"))
    text = _model_field(Amendment, "text", widget=forms.Textarea(attrs={"rows": 4}))
    start_date = iso_date_field(_("Start date"))
    end_date = iso_date_field(_("End date"))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["date"].initial = timezone.localdate()
        self.fields["start_date"].initial = agreement.start_date
        self.fields["end_date"].initial = agreement.end_date
        for name in Agreement.SECTION_FIELDS:
            self.fields[f"section_{name}"] = _model_field(
                Agreement,
                name,
                required=False,
                label=_("Section “%(section)s”: its new text")
                % {"section": capfirst(Agreement._meta.get_field(name).verbose_name)},
                help_text="",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.commitments = list(agreement.commitments.select_related("party__organisation"))
        for commitment in self.commitments:
            self.fields[f"commitment_{commitment.pk}"] = _model_field(
                Commitment,
                "text",
                required=False,
                label=_("Commitment of %(party)s “%(commitment)s”: its new text")
                % {"party": commitment.party.organisation, "commitment": commitment.short_text},
                help_text="",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.add_budget_fields(agreement)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data

        def written(name):
            return (data.get(name) or "").strip()

        return {
            "title": data["title"],
            "text": data["text"],
            "date": data["date"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "sections": {
                name: data[f"section_{name}"]
                for name in Agreement.SECTION_FIELDS
                if written(f"section_{name}")
            },
            "commitments": {
                commitment: data[f"commitment_{commitment.pk}"]
                for commitment in self.commitments
                if written(f"commitment_{commitment.pk}")
            },
            **self.budget_arguments(),
        }

    def add_service_error(self, error):
        """Show the service's refusal at the field it is about (else above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            field = self.SERVICE_ERROR_FIELDS.get(key)
            for message in errors:
                self.add_error(field, message)
