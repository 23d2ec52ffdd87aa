from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import name_the_empty_choice

from .registry import TARGETS
from .services import check_upload


def target_value(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


class DocumentForm(forms.Form):
    """A file and what it is attached to: the rows of the agreement that the user's role may
    attach documents to, grouped by kind (one query per kind)."""

    target = forms.ChoiceField(label=_("Attach to"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, agreement, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {}
        groups = []
        for entry in TARGETS.values():
            if role not in entry.roles:
                continue
            options = []
            for obj in entry.rows(agreement):
                self.rows[target_value(obj)] = obj
                options.append((target_value(obj), str(obj)))
            if options:
                groups.append((str(entry.model._meta.verbose_name).capitalize(), options))
        self.fields["target"].choices = groups
        name_the_empty_choice(self.fields["target"], _("Choose what the document belongs to"))
        self.fields["file"].help_text = _(
            "PDF, PNG, JPEG or an Office document (Word, Excel, PowerPoint, OpenDocument), "
            "at most %(limit)s."
        ) % {"limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_target(self):
        return self.rows[self.cleaned_data["target"]]  # ChoiceField refused an unknown one

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload
