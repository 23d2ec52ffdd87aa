"""Shared pieces of the project's forms."""

from django import forms
from django.forms.models import ModelChoiceIterator


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
