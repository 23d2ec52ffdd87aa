from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import iso_date_field, name_the_empty_choice
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
