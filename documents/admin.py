from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin
from partnership.admin_mixins import LockedPeriodAdminMixin

from .models import Document


@admin.register(Document)
class DocumentAdmin(LockedPeriodAdminMixin, ReadOnlyHistoryAdmin):
    """Read only: documents are attached and removed on the agreement's documents page, which
    checks the type, the size and the locks; the history shows every upload and removal."""

    list_display = [
        "original_name",
        "agreement",
        "content_type",
        "media_type",
        "size",
        "uploaded_at",
    ]
    list_filter = ["agreement", "media_type"]
    search_fields = ["original_name", "sha256"]
