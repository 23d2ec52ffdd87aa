"""Who changed what and when, per agreement: the history records of an agreement and of every
row that belongs to it, read from django-simple-history's tables.

The sources are found from the models themselves (a model whose row points at the agreement,
directly or through one parent), so a model added later with ``history = HistoricalRecords()``
and a foreign key to the agreement shows up without editing this file. Records of deleted rows
are found too: a child is matched through its parent's *historical* ids.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery, Value
from simple_history.models import HistoricalChanges

from core.readable import readable_value, related_rows

from .models import Agreement

# Fields that say nothing to a reader of the history.
_SKIPPED_FIELDS = {"id", "created_by", "registered_by", "locked_at"}
_LABEL_FIELDS = (
    "title",
    "name",
    "original_name",
    "label",
    "text",
    "description",
    "reference",
    "reason",
)


def tracked_models():
    """Every model of the project's apps that keeps a simple_history history."""
    found = []
    for app_label in settings.PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if issubclass(model, HistoricalChanges):
                continue
            if getattr(model._meta, "simple_history_manager_attribute", None):
                found.append(model)
    return found


def _fk_to(model, target):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is target:
            return field
    return None


def _filter_builder(model, depth=0):
    """A function pk → filter of ``model.history`` for the rows of agreement pk, or None.

    A child is matched through the *historical* ids of its parent, so the records of a
    deleted parent's children are still found (a session's counts after the session went)."""
    if model is Agreement:
        return lambda pk: {"id": pk}
    direct = _fk_to(model, Agreement)
    if direct is not None:
        return lambda pk, a=direct.attname: {a: pk}
    if depth >= 3:
        return None
    for field in model._meta.concrete_fields:
        parent = field.related_model if isinstance(field, models.ForeignKey) else None
        if parent is None or parent is model or not hasattr(parent, "history"):
            continue
        parent_filter = _filter_builder(parent, depth + 1)
        if parent_filter is not None:

            def build(pk, f=field, p=parent, pf=parent_filter):
                return {f"{f.attname}__in": p.history.filter(**pf(pk)).values("id")}

            return build
    return None


@cache
def history_sources():
    """[(model, filter builder)] for every tracked model that belongs to an agreement."""
    sources = []
    for model in tracked_models():
        build = _filter_builder(model)
        if build is not None:
            sources.append((model, build))
    return sources


@dataclass
class Change:
    field: str  # the field's label
    old: str  # the values as a reader reads them (core.readable)
    new: str


@dataclass
class Entry:
    date: object
    user: object
    kind: str  # "+", "~", "-"
    model_name: str
    object_label: str
    changes: list


def _label(record) -> str:
    meta = record.instance_type._meta
    parts = [f"{meta.verbose_name.capitalize()} #{record.id}"]
    if getattr(record, "date", None):
        parts.append(record.date.isoformat())
    for name in _LABEL_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            parts.append(value if len(value) <= 60 else value[:59] + "…")
            break
    return " · ".join(parts)


def history_queryset(pk):
    """One row per history record (date, id, model label), newest first, across all sources."""
    parts = []
    for model, build in history_sources():
        parts.append(
            model.history.filter(**build(pk))
            .annotate(source=Value(model._meta.label, output_field=models.CharField()))
            .values_list("history_date", "history_id", "source")
            .order_by()
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def entries_for(page_rows) -> list[Entry]:
    """The page's records with their changes: two queries per model on the page."""
    by_source = {}
    for _, history_id, source in page_rows:
        by_source.setdefault(source, []).append(history_id)
    records = {}
    for source, ids in by_source.items():
        model = apps.get_model(source)
        history = model.history.model
        previous = Subquery(
            history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        page = list(
            model.history.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_history_id=previous)
        )
        prev_ids = [r.previous_history_id for r in page if r.previous_history_id]
        prevs = model.history.in_bulk(prev_ids, field_name="history_id")
        for record in page:
            records[(source, record.history_id)] = (record, prevs.get(record.previous_history_id))
    deltas = {key: _delta(record, prev) for key, (record, prev) in records.items()}
    # The related rows the changes name (users, venues, budget lines …): one query per model.
    related = related_rows(
        (field, value)
        for delta in deltas.values()
        for field, change in delta
        for value in (change.old, change.new)
    )
    entries = []
    for _, history_id, source in page_rows:
        record, _prev = records[(source, history_id)]
        entries.append(
            Entry(
                date=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                model_name=record.instance_type._meta.verbose_name,
                object_label=_label(record),
                changes=[
                    Change(
                        str(field.verbose_name),
                        readable_value(field, change.old, related),
                        readable_value(field, change.new, related),
                    )
                    for field, change in deltas[(source, history_id)]
                ],
            )
        )
    return entries


def _delta(record, prev) -> list:
    """[(model field, simple_history's change)] between ``prev`` and ``record``."""
    if record.history_type != "~" or prev is None:
        return []
    model = record.instance_type
    field_names = {f.name for f in model._meta.concrete_fields}
    excluded = [f.name for f in model._meta.many_to_many] + sorted(_SKIPPED_FIELDS & field_names)
    delta = record.diff_against(prev, excluded_fields=excluded)
    return [(model._meta.get_field(change.field), change) for change in delta.changes]
