"""A frozen report PDF as it is served: the file as stored, but only while it still matches the
SHA-256 recorded at submission (``core.stored``, shared with the attached documents). A file
altered or lost in the storage is never sent as if it were the submitted report; the mismatch
is logged for the operator, who restores the file from a backup."""

from core.stored import StoredFileDamaged, verified_chunks, verified_copy, verify


class FrozenPdfDamaged(Exception):
    def __init__(self, version):
        super().__init__(version.pk)
        self.version = version


def frozen_pdf_bytes(version) -> bytes:
    """The version's PDF as submitted; FrozenPdfDamaged (logged) when the stored file is
    missing or no longer has the recorded SHA-256."""
    try:
        copy = verified_copy(version.pdf, version.sha256, what=_what(version))
    except StoredFileDamaged:
        raise FrozenPdfDamaged(version) from None
    with copy:
        return copy.read()


def _what(version) -> str:
    return f"Frozen PDF of report version {version.pk}"


def frozen_pdf_chunks(version, chunk_size=64 * 1024):
    """The version's PDF in chunks, checked against its SHA-256 as it is read
    (``core.stored.verified_chunks``): a file that does not match raises FrozenPdfDamaged
    (logged) before its last chunk."""
    try:
        yield from verified_chunks(
            version.pdf, version.sha256, what=_what(version), chunk_size=chunk_size
        )
    except StoredFileDamaged:
        raise FrozenPdfDamaged(version) from None


def verify_frozen_pdf(version, chunk_size=64 * 1024) -> None:
    """FrozenPdfDamaged (logged) unless the stored file matches its SHA-256; reads in
    chunks, so a large file never sits in memory."""
    try:
        verify(version.pdf, version.sha256, what=_what(version), chunk_size=chunk_size)
    except StoredFileDamaged:
        raise FrozenPdfDamaged(version) from None
