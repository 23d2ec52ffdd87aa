"""A stored value as its reader reads it, for the histories (the agreement's history page and
Django admin's): the label of a choice, the name of a related row or user, local time,
money and dates formatted as on every other page.

Values come as django-simple-history's diff gives them: the field's attribute value, so a
foreign key is the related row's id. ``related_rows`` fetches those rows in one query per
related model, for a whole page of changes at once."""

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .formatting import format_hours, format_number, format_sek

EMPTY = "–"


def display_name(obj) -> str:
    """A user by their name (their username when they have none), anything else by str()."""
    if obj is None:
        return EMPTY
    get_full_name = getattr(obj, "get_full_name", None)
    if callable(get_full_name) and hasattr(obj, "get_username"):
        return get_full_name() or obj.get_username()
    return str(obj)


def related_rows(changes) -> dict:
    """{(model, pk): row} for the foreign keys among ``changes``, an iterable of
    ``(field, value)``: one query per related model, however many changes there are."""
    wanted = {}
    for field, value in changes:
        # simple_history gives the id, or (diff_against(foreign_keys_are_objs=True), as
        # Django admin's history does) the row itself.
        if isinstance(field, models.ForeignKey) and isinstance(value, (int, str)):
            wanted.setdefault(field.related_model, set()).add(value)
    found = {}
    for model, pks in wanted.items():
        manager = model._default_manager
        if model._meta.label_lower == settings.AUTH_USER_MODEL.lower():
            manager = manager.only("pk", "username", "first_name", "last_name")
        for pk, row in manager.in_bulk(pks).items():
            found[(model, pk)] = row
    return found


def readable_value(field, value, related=None) -> str:
    """``value`` of model ``field`` as text for a reader (``related``: from ``related_rows``;
    a related row not found, deleted since, shows by its id)."""
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        if isinstance(value, models.Model):
            return display_name(value)
        if not isinstance(value, (int, str)):  # simple_history's DeletedObject
            value = getattr(value, "pk", value)
            if value is None:  # an empty foreign key
                return EMPTY
        row = (related or {}).get((field.related_model, value))
        return display_name(row) if row is not None else f"#{value}"
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(field, models.DecimalField):
        # Money is whole kronor (no decimals); hours have one.
        return format_sek(value) if field.decimal_places == 0 else format_hours(value)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        return format_number(value)
    if isinstance(field, models.FileField):
        return getattr(value, "name", str(value)) or EMPTY
    return str(value)
