from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import iso_date_field, name_the_empty_choice

from .models import (
    FUNDS_DECISION_FIELDS,
    NARRATIVE_FIELDS,
    CommitmentFollowUp,
    DeviationReason,
    Report,
)

REASON_PREFIX = "reason_"
VALUE_PREFIX = "indicator_"


class NarrativeForm(forms.ModelForm):
    """What staff write in a report: its narrative sections (a close-out: the comment on the
    outcome and the parties' decision on the funds), and a reason for each budget line the
    figures flag as deviating (``flagged``: the lines, each with ``pk`` and ``text``)."""

    repayment_date = iso_date_field(_("date repaid"), required=False)

    class Meta:
        model = Report
        fields = (*NARRATIVE_FIELDS, *FUNDS_DECISION_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in NARRATIVE_FIELDS} | {
            "funds_decision_text": forms.Textarea(attrs={"rows": 4})
        }

    def __init__(self, *args, flagged=(), entered=(), **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        keep = report.narrative_fields()
        if report.is_close_out:
            keep += FUNDS_DECISION_FIELDS
            self.fields["summary"].label = _("Comment on the financial outcome")
            self.fields["summary"].help_text = ""
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "funds_decision" in self.fields:
            name_the_empty_choice(self.fields["funds_decision"], _("No decision yet"))
        written = {r.budget_line_id: r.text for r in report.deviation_reasons.all()}
        for line in flagged:
            # The model field's form field: its maximum and its text rules.
            self.fields[f"{REASON_PREFIX}{line['pk']}"] = DeviationReason._meta.get_field(
                "text"
            ).formfield(
                label=_("Why does “%(line)s” deviate from its budget?") % {"line": line["text"]},
                required=False,
                initial=written.get(line["pk"], ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        values = {v.indicator_id: v.value for v in report.indicator_values.all()}
        for indicator in entered:
            self.fields[f"{VALUE_PREFIX}{indicator.pk}"] = forms.IntegerField(
                label=_("%(indicator)s (%(unit)s), in the period")
                % {"indicator": indicator.name, "unit": indicator.unit},
                required=False,
                min_value=0,
                max_value=1_000_000,
                initial=values.get(indicator.pk),
                help_text=_("A count for the whole period; never about one person."),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def indicator_values(self) -> dict:
        """{indicator pk: value or None} of the entered indicators' fields."""
        return {
            int(name.removeprefix(VALUE_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(VALUE_PREFIX)
        }

    def reasons(self) -> dict:
        """{budget line pk: reason} of the reason fields."""
        return {
            int(name.removeprefix(REASON_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(REASON_PREFIX)
        }


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


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = CommitmentFollowUp
        fields = ["status", "account"]
        widgets = {"account": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
