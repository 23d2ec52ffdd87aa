"""An agreement's documents: the list with the upload form, the download and the removal.
Every file is served here, after the access check, never from a public media address."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.crud import saved
from core.downloads import content_disposition
from core.stored import StoredFileDamaged, verified_copy
from partnership.access import get_agreement_for_user
from partnership.pages import agreement_delete_page

from . import services
from .forms import DocumentForm
from .models import Document
from .registry import TARGETS

logger = logging.getLogger(__name__)


def _list_url(agreement):
    return reverse("documents:document_list", args=[agreement.pk])


def _roles_that_write():
    return {role for entry in TARGETS.values() for role in entry.roles}


@login_required
def document_list(request, agreement_pk):
    """Every document of the agreement and its rows; the upload form for a role that may
    attach to at least one kind of row. ``?target=finance.expense:12`` (the links that
    ``{% attach_url row %}`` makes on the expenses, meetings and report pages) chooses the
    row in the form; one the user may not attach to is not offered, so it chooses nothing."""
    agreement = get_agreement_for_user(request.user, agreement_pk)
    role = agreement.user_role
    form = None
    if role in _roles_that_write():
        form = DocumentForm(
            request.POST or None,
            request.FILES or None,
            agreement=agreement,
            role=role,
            initial={"target": request.GET.get("target", "")},
        )
        written = saved(
            request,
            form,
            lambda data: services.attach_document(
                target=data["target"], upload=data["file"], user=request.user
            ),
            done=_("The document was attached."),
        )
        if written:
            return redirect(_list_url(agreement))
    elif request.method == "POST":
        raise PermissionDenied
    documents = Document.objects.for_agreement(agreement).prefetch_related("target")
    removable = {key for key, entry in TARGETS.items() if role in entry.roles}
    rows = [
        (d, f"{d.content_type.app_label}.{d.content_type.model}" in removable) for d in documents
    ]
    return render(
        request,
        "documents/document_list.html",
        {"agreement": agreement, "rows": rows, "form": form},
    )


def _document_for_user(user, pk, *, write=False):
    document = get_object_or_404(Document.objects.select_related("content_type"), pk=pk)
    agreement = get_agreement_for_user(user, document.agreement_id)
    if write:
        entry = TARGETS.get(f"{document.content_type.app_label}.{document.content_type.model}")
        if entry is None or agreement.user_role not in entry.roles:
            raise PermissionDenied
    return document, agreement


@login_required
@require_GET
def document_download(request, pk):
    """The file as uploaded, only while it still has its SHA-256; else a page saying so (the
    mismatch is logged by ``core.stored``)."""
    document, agreement = _document_for_user(request.user, pk)
    try:
        copy = verified_copy(document.file, document.sha256, what=f"Document {document.pk}")
    except StoredFileDamaged:
        return render(
            request,
            "documents/document_damaged.html",
            {"agreement": agreement, "document": document},
            status=409,
        )
    response = FileResponse(copy, content_type=document.media_type)
    response["Content-Disposition"] = content_disposition(document.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_delete(request, pk):
    document, agreement = _document_for_user(request.user, pk, write=True)
    return agreement_delete_page(
        request,
        agreement,
        document,
        delete=lambda: services.remove_document(document=document),
        question=_("Remove the document “%(name)s”?") % {"name": document.original_name},
        done=_("The document was removed."),
        back=_list_url(agreement),
    )
