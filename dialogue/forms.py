from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import iso_date_field, name_the_empty_choice
from partnership.forms import BudgetFields
from partnership.models import Organisation

from .models import ActionItem, Decision, LearningEntry, Meeting


class _Form(forms.ModelForm):
    """A form of one of the agreement's rows; ``agreement`` limits its choices."""

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.helper = FormHelper()
        self.helper.form_tag = False


class MeetingForm(_Form):
    date = iso_date_field(_("Date"))

    class Meta:
        model = Meeting
        fields = ["date", "kind", "organisations", "minutes"]
        widgets = {
            "organisations": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            parties__agreement=self.agreement
        ).order_by("name")
        name_the_empty_choice(self.fields["kind"], _("Choose a kind of meeting"))


class DecisionForm(_Form):
    class Meta:
        model = Decision
        fields = ["text", "budget_line"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = self.agreement.budget_lines.all()
        self.fields["budget_line"].empty_label = _("None")


class ActionItemForm(_Form):
    due_date = iso_date_field(_("Due date"), required=False)

    class Meta:
        model = ActionItem
        fields = ["text", "party", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = self.agreement.parties.select_related("organisation")
        name_the_empty_choice(self.fields["party"], _("Choose a party"))


class LearningEntryForm(_Form):
    date = iso_date_field(_("Date"))

    class Meta:
        model = LearningEntry
        fields = ["date", "theme", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_the_empty_choice(self.fields["theme"], _("Choose a theme"))


class ExtensionForm(BudgetFields, forms.Form):
    """An extension agreed at a meeting: the new end, the budget for the longer period (new
    amounts per line, or positions × months: ``partnership.forms.BudgetFields``) and an
    interim report."""

    end_date = iso_date_field(_("New end date"))
    meeting = forms.ModelChoiceField(
        label=_("The meeting where the parties agreed"), queryset=Meeting.objects.none()
    )
    decision_text = forms.CharField(
        label=_("The decision, as minuted"),
        max_length=1400,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    interim_period_start = iso_date_field(_("New interim report: period start"), required=False)
    interim_period_end = iso_date_field(_("New interim report: period end"), required=False)
    interim_due_date = iso_date_field(_("New interim report: due date"), required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.fields["meeting"].queryset = agreement.meetings.order_by("-date")
        name_the_empty_choice(self.fields["meeting"], _("Choose a meeting"))
        self.add_budget_fields(agreement)

    def clean(self):
        cleaned = super().clean()
        dates = [cleaned.get(f"interim_{n}") for n in ("period_start", "period_end", "due_date")]
        if any(dates) and not all(dates):
            raise forms.ValidationError(
                _("Give the new interim report its period start, period end and due date.")
            )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        dates = tuple(data[f"interim_{n}"] for n in ("period_start", "period_end", "due_date"))
        return {
            "end_date": data["end_date"],
            "meeting": data["meeting"],
            "decision_text": data["decision_text"],
            **self.budget_arguments(),
            "interim_deadlines": [dates] if all(dates) else [],
        }
