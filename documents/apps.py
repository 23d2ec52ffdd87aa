from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def document_lock_target(document):
    """(agreement id, date) of a document: the date of the row it is attached to that an
    approval locks (an expense's or a meeting's date, a report's period end); none for the
    agreement and its amendments."""
    from .registry import target_of_model

    target = document.target
    entry = target_of_model(type(target)) if target is not None else None
    return document.agreement_id, entry.lock_date(target) if entry else None


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from dialogue.models import Meeting
        from finance.models import Expense
        from partnership import locks
        from partnership.access import COORDINATOR, STAFF
        from partnership.models import Agreement, Amendment

        from .registry import register

        # The signed agreement and its signed annexes: the municipality's coordinator, who
        # keeps the signed originals, attaches them (an admin can in Django admin's history
        # too); everyone of the agreement reads them.
        register(
            Agreement,
            roles=(COORDINATOR,),
            rows=lambda agreement: Agreement.objects.filter(pk=agreement.pk),
            agreement_id=lambda agreement: agreement.pk,
        )
        register(
            Amendment,
            roles=(COORDINATOR,),
            rows=lambda agreement: Amendment.objects.filter(agreement=agreement),
        )
        # Receipts and minutes: both parties, as both write them.
        register(
            Expense,
            roles=(STAFF, COORDINATOR),
            rows=lambda agreement: Expense.objects.filter(agreement=agreement).order_by("-date"),
            lock_date=lambda expense: expense.date,
        )
        register(
            Meeting,
            roles=(STAFF, COORDINATOR),
            rows=lambda agreement: Meeting.objects.filter(agreement=agreement),
            lock_date=lambda meeting: meeting.date,
        )
        # A document of a locked row cannot be added or removed, whatever path the write
        # takes (the pages check first, with a message).
        locks.register(self.get_model("Document"), target=document_lock_target)
