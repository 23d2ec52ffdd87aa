"""A frozen report PDF as it is served: the file as stored, but only while it still matches the
SHA-256 recorded at submission (``core.stored``, shared with the attached documents). A file
altered or lost in the storage is never sent as if it were the submitted report; the mismatch
is logged for the operator, who restores the file from a backup."""

from core.stored import StoredFileDamaged, verified_copy


class FrozenPdfDamaged(Exception):
    def __init__(self, version):
        super().__init__(version.pk)
        self.version = version


def frozen_pdf_bytes(version) -> bytes:
    """The version's PDF as submitted; FrozenPdfDamaged (logged) when the stored file is
    missing or no longer has the recorded SHA-256."""
    try:
        copy = verified_copy(
            version.pdf, version.sha256, what=f"Frozen PDF of report version {version.pk}"
        )
    except StoredFileDamaged:
        raise FrozenPdfDamaged(version) from None
    with copy:
        return copy.read()
