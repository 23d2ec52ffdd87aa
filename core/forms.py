"""Form pieces every app uses."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ISO = "%Y-%m-%d"


def iso_date_field(label, *, required=True):
    """A date typed or picked as YYYY-MM-DD only: Django's Swedish locale would also read
    "04/01/2019" (as 1 April). The label is capitalised like a model field's ("Datum")."""
    return forms.DateField(
        label=capfirst(label),
        required=required,
        input_formats=[ISO],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )
