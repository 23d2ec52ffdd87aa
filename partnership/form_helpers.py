"""Shared pieces of the project's forms."""

from html import escape as _escape_text

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates


class ListedChoiceIterator(ModelChoiceIterator):
    """A select's choices read with one plain query.

    Django's iterator reads them with ``QuerySet.iterator()``, which on PostgreSQL opens a
    server-side cursor: DECLARE, FETCH, FETCH and CLOSE, four round trips made for millions
    of rows, for a list of venues or budget lines. Each select of every form paid that on
    every page.

    A field may also carry ``listed``: a function that returns the same objects as its
    queryset (a compiled query, see ``sqlcache``); the choices are then read with it."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = getattr(self.field, "listed", None)
        for obj in listed() if listed is not None else self.queryset.all():
            yield self.choice(obj)


class ListedChoicesMixin:
    """Put first among a form's bases: every model choice field of the form lists its
    choices with ``ListedChoiceIterator``, also after ``__init__`` sets its queryset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ListedChoiceIterator
                field.widget.choices = field.choices


def escape(value) -> str:
    """As the template engine escapes a variable: safe HTML as it is, anything else as text
    through ``html.escape`` (which Django's ``escape`` calls)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_text(str(value))


def _attrs(attrs) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    # django/forms/widgets/input.html (date.html includes it)
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _select(widget) -> str:
    # django/forms/widgets/select.html with select_option.html for each option
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class PythonWidgetRenderer(DjangoTemplates):
    """Django's form renderer, with its templates for inputs and selects written out in
    Python: the list pages' filter forms spent about a millisecond in the template engine
    for two date inputs and a select. Any other template goes to Django's renderer.
    ``tests/test_form_helpers.py`` requires the same HTML as Django's templates, byte for
    byte, escaping included."""

    _IN_PYTHON = {
        "django/forms/widgets/input.html": _input,
        "django/forms/widgets/date.html": _input,
        "django/forms/widgets/select.html": _select,
    }

    def render(self, template_name, context, request=None):
        render = self._IN_PYTHON.get(template_name)
        if render is None:
            return super().render(template_name, context, request)
        return render(context["widget"])
