"""Approval locks, enforced below every view, form and admin page.

When a report is approved, a ``LockedPeriod`` covers its dates. From then on no row of a
registered model (sessions, visitor counts, activities, expenses, payments, in-kind hours)
dated in that period may be created, changed, moved out of it or deleted, whatever path the write takes (a service, Django admin, a shell): a ``pre_save``
and ``pre_delete`` receiver refuses it with a ``ValidationError``. Services and forms check
earlier with ``assert_date_unlocked`` to show the user a message; this is the last line.

A correction needs the coordinator to reopen the period (delete the lock); the history keeps
both the lock and the reopening.

Bulk ``QuerySet.update()`` sends no signal: code that uses it (the tally's ``F()`` increment)
must call ``assert_date_unlocked`` itself, and its tests prove it does.
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from .services import is_date_locked

# Model label → how to find (agreement id, date) of a row. The apps whose rows an approval
# locks add their models with ``register`` in their ``AppConfig.ready``; this app imports
# none of them.
LOCKED_MODELS = {}


def own_date(obj):
    """(agreement id, date) of a row that has both itself."""
    return obj.agreement_id, obj.date


def register(model, target=own_date):
    """Lock ``model``'s rows in approved periods; ``target(row)`` gives (agreement id,
    date). Connects the receivers that refuse a locked write or delete."""
    label = model._meta.label
    LOCKED_MODELS[label] = target
    pre_save.connect(_refuse_locked_write, sender=model, dispatch_uid=f"lock-save-{label}")
    pre_delete.connect(_refuse_locked_delete, sender=model, dispatch_uid=f"lock-delete-{label}")


def lock_target(obj):
    """(agreement id, date) that decides whether ``obj`` is locked, or None."""
    target = LOCKED_MODELS.get(obj._meta.label)
    if target is None:
        return None
    try:
        agreement_id, day = target(obj)
    except Exception:  # noqa: BLE001 - an incomplete row is refused by its own validation
        return None
    if agreement_id is None or day is None:
        return None
    return agreement_id, day


def is_locked(obj) -> bool:
    target = lock_target(obj)
    return target is not None and is_date_locked(agreement=target[0], day=target[1])


def locked_error(obj):
    return ValidationError(
        _(
            "%(object)s lies in a period whose report has been approved, so it is locked. "
            "Ask the coordinator to reopen the period."
        )
        % {"object": obj._meta.verbose_name.capitalize()},
        code="locked",
    )


def assert_unlocked(obj):
    """Refuse a write to ``obj`` if it is, or was, dated in a locked period."""
    if is_locked(obj):
        raise locked_error(obj)
    if obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        if stored is not None and is_locked(stored):
            raise locked_error(stored)


def _refuse_locked_write(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata (restore from backup) writes history as it was
        return
    assert_unlocked(instance)


def _refuse_locked_delete(sender, instance, **kwargs):
    if is_locked(instance):
        raise locked_error(instance)
