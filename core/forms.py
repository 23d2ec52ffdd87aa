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


def name_the_empty_choice(field, label):
    """Show ``label`` ("All budget lines", "Choose a venue") for the empty choice of a select,
    instead of Django's "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = label
    else:
        field.choices = [("", label), *((v, text) for v, text in field.choices if v != "")]
