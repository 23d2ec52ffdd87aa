"""Files attached to an agreement and to its rows: the signed agreement and its annexes,
receipts of expenses, minutes of meetings, documents of a report.

A document points at its row through contenttypes (a generic relation; which models may carry
documents is in ``registry.py``) and at its agreement directly, for the access check, the
agreement's history and one query per agreement. The file's kind is read from its content
(``filetypes.py``); its SHA-256 is checked whenever it is served. The file lives on the
default storage (the local disk or an S3 bucket) under a name nobody can guess, and is only
ever served by the app's view after the access check.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.downloads import file_name
from core.text import LineField, one_line
from partnership.models import Agreement

from . import filetypes

ORIGINAL_NAME_MAX_LENGTH = 200
MEDIA_TYPE_CHOICES = [
    (filetypes.PDF.content_type, "PDF"),
    (filetypes.PNG.content_type, "PNG"),
    (filetypes.JPEG.content_type, "JPEG"),
    *[(kind.content_type, kind.extension.upper()) for kind in filetypes.OOXML.values()],
    *[(kind.content_type, kind.extension.upper()) for kind in filetypes.OLE2.values()],
    *[(kind.content_type, kind.extension.upper()) for kind in filetypes.ODF.values()],
]
EXTENSIONS = {kind.content_type: kind.extension for kind in filetypes.KINDS}


def document_path(instance, filename):
    """documents/agreement-<id>/<random>.<ext>: nothing in it is the user's text, and the
    random part (128 bits) cannot be guessed."""
    extension = EXTENSIONS.get(instance.media_type, "bin")
    return f"documents/agreement-{instance.agreement_id}/{secrets.token_hex(16)}.{extension}"


class DocumentQuerySet(models.QuerySet):
    def for_agreement(self, agreement):
        """Every document of ``agreement`` and of its amendments, expenses, meetings and
        reports, grouped by what it is attached to, oldest first; with what ``bundle_path``
        and the list need. For the auditor bundle: each document's ``bundle_path`` is stable
        and unique, and ``file`` opens through the storage."""
        return (
            self.filter(agreement=agreement)
            .select_related("content_type", "uploaded_by")
            .order_by("content_type__model", "object_id", "uploaded_at", "pk")
        )

    def attached_to(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("content_type", "uploaded_by")


class Document(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="documents"
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("attached to (kind)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("attached to (number)"))
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    original_name = LineField(_("file name"), max_length=ORIGINAL_NAME_MAX_LENGTH)
    media_type = models.CharField(_("file type"), max_length=100, choices=MEDIA_TYPE_CHOICES)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_target")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="document_not_empty"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"
            ),
            models.CheckConstraint(
                condition=Q(media_type__in=[value for value, _label in MEDIA_TYPE_CHOICES]),
                name="document_media_type_known",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def target_kind(self) -> str:
        """What kind of row the document is attached to ("Expense"), in the reader's
        language."""
        model = self.content_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model else self.content_type.model

    @property
    def download_name(self) -> str:
        """The name the file is sent under: the uploaded name's stem, made safe
        (``core.downloads``), with the extension of the kind the content is."""
        stem = one_line(self.original_name).rsplit(".", 1)[0]
        return file_name(stem, EXTENSIONS[self.media_type])

    @property
    def bundle_path(self) -> str:
        """Where the document goes in the auditor bundle: one folder per row it is attached
        to, the document's number first so that two files of the same name never clash, e.g.
        ``documents/expense-12/34-kvitto.pdf``."""
        return (
            f"documents/{self.content_type.model}-{self.object_id}/{self.pk}-{self.download_name}"
        )
