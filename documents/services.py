"""Attaching and removing documents: the writes, each in one transaction, with the rules the
pages show as messages (``refusal``) and the database, the storage and the history keep."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.text import one_line
from partnership import locks
from partnership.services import is_date_locked

from . import filetypes
from .models import ORIGINAL_NAME_MAX_LENGTH, Document
from .registry import target_of_model


def refusal(obj) -> str | None:
    """Why the documents of ``obj`` cannot be added or removed now (a sentence for the
    user), or None: it is of a submitted report, or of a row in an approved period."""
    target = target_of_model(type(obj))
    if target is None:
        return _("Documents cannot be attached to this.")
    frozen = target.frozen(obj)
    if frozen:
        return frozen
    day = target.lock_date(obj)
    if day is not None and is_date_locked(agreement=target.agreement_id(obj), day=day):
        return locks.locked_error(obj).messages[0]
    return None


def check_upload(upload) -> filetypes.Kind:
    """The kind of an uploaded file (``UploadedFile``); ValidationError with the user's
    message when it is empty, too large or not one of the accepted kinds."""
    limit = settings.DOCUMENT_MAX_BYTES
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = filetypes.detect(upload, upload.name or "")
    if kind is None:
        raise ValidationError(
            _(
                "This file is not a PDF, a picture (PNG, JPEG) or an Office document "
                "(Word, Excel, PowerPoint, OpenDocument). Save it as PDF and attach it again."
            ),
            code="file_type",
        )
    return kind


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def attach_document(*, target, upload, user) -> Document:
    """Attach ``upload`` to ``target`` (a row of a registered model), uploaded by ``user``.
    The file is written to the storage first and removed again if the row is not saved."""
    why = refusal(target)
    if why:
        raise ValidationError(why, code="locked")
    kind = check_upload(upload)
    entry = target_of_model(type(target))
    document = Document(
        agreement_id=entry.agreement_id(target),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        original_name=one_line(upload.name or "", max_length=ORIGINAL_NAME_MAX_LENGTH)
        or kind.extension,
        media_type=kind.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=user,
    )
    document.file.save("upload", upload, save=False)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def remove_document(*, document) -> None:
    """Remove ``document``: its row (the history keeps who removed it and when) and, once
    the transaction has committed, its file."""
    target = document.target
    why = refusal(target) if target is not None else None
    if why:
        raise ValidationError(why, code="locked")
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def delete_documents_of(sender, instance, **kwargs):
    """``post_delete`` of a row that carries documents: its documents go with it (their files
    after the commit). A restore or a flush (``raw``-less bulk deletes) passes through too."""
    documents = list(Document.objects.attached_to(instance))
    for document in documents:
        name, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
