"""The create, edit and delete pages of an agreement's rows, in every app: core's page
helpers (``core.crud``) with the agreement's tabs around them (``AGREEMENT_BASE``)."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.crud import confirm_delete, form_page, saved

from .nav import AGREEMENT_BASE


def agreement_form_page(request, agreement, form, write, *, title, done, back):
    """A create or edit page: ``write`` (a service call) on a valid POST, then back to
    ``back``; else the form, with the errors."""
    if saved(request, form, write, done=done):
        return redirect(back)
    return form_page(
        request, form, title=title, back=back, base=AGREEMENT_BASE, context={"agreement": agreement}
    )


def agreement_delete_page(request, agreement, obj, *, delete, back, question=None, done=None):
    """The confirmation page of deleting ``obj``, one of ``agreement``'s rows."""
    return confirm_delete(
        request,
        obj,
        delete=delete,
        question=question or _("Delete “%(item)s”?") % {"item": obj},
        done=done or _("Deleted."),
        back=back,
        base=AGREEMENT_BASE,
        context={"agreement": agreement},
    )
