"""What a document can be attached to, and the rules of each kind of target.

The documents app knows the agreement, its amendments, expenses and meetings (it sits above
partnership, finance and dialogue); reporting, which sits above documents, enters its reports
with ``register`` in its ``AppConfig.ready``, so this app imports nothing of it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from partnership.access import COORDINATOR, STAFF


@dataclass(frozen=True)
class Target:
    model: type
    # User roles (partnership.access) that may attach a document to a row, and remove one.
    roles: tuple
    # The rows of an agreement a document may be attached to (a queryset, ready to show).
    rows: Callable
    # The agreement (its key) the row belongs to.
    agreement_id: Callable = lambda obj: obj.agreement_id
    # The date whose approved period locks the row's documents, or None: never locked.
    lock_date: Callable = lambda obj: None
    # Why the row's documents cannot change now (a translated sentence), or None.
    frozen: Callable = lambda obj: None

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


TARGETS: dict[str, Target] = {}


def register(
    model, *, roles=(STAFF, COORDINATOR), rows, agreement_id=None, lock_date=None, frozen=None
):
    """Allow documents on ``model``'s rows; see ``Target`` for the arguments. Deleting a row
    deletes its documents with it (in the same transaction; the history keeps them)."""
    from django.db.models.signals import post_delete

    from .services import delete_documents_of

    options = {"agreement_id": agreement_id, "lock_date": lock_date, "frozen": frozen}
    target = Target(model, tuple(roles), rows, **{k: v for k, v in options.items() if v})
    TARGETS[target.key] = target
    post_delete.connect(
        delete_documents_of, sender=model, dispatch_uid=f"documents-of-{target.key}"
    )
    return target


def target_of_model(model) -> Target | None:
    return TARGETS.get(model._meta.label_lower)
