from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NARRATIVE_FIELDS, Report


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = NARRATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in NARRATIVE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CommentForm(forms.Form):
    # The model field's own form field: the comment is stored there, with its limits.
    comment = Report._meta.get_field("coordinator_comment").formfield(
        label=_("Comment to the staff"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=True,
        help_text=_("Say what should change; the staff see it on the report."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
