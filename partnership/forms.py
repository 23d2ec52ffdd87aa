"""Forms of the agreement's own pages: its changes of status and its renewal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import iso_date_field

from .models import StatusChange


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
