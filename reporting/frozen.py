"""A frozen report PDF as it is served: the file as stored, but only while it still matches the
SHA-256 recorded at submission. A file altered or lost on disk is never sent as if it were
the submitted report; the mismatch is logged for the operator, who restores the file from a
backup (``manage.py restore`` verifies every file against its checksum)."""

import hashlib
import logging

logger = logging.getLogger(__name__)


class FrozenPdfDamaged(Exception):
    def __init__(self, version):
        super().__init__(version.pk)
        self.version = version


def frozen_pdf_bytes(version) -> bytes:
    """The version's PDF as submitted; FrozenPdfDamaged (logged) when the stored file is
    missing or no longer has the recorded SHA-256."""
    try:
        data = version.pdf_bytes()
    except OSError as error:
        logger.error(
            "Frozen PDF of report version %s cannot be read (%s): %s",
            version.pk,
            version.pdf.name,
            error,
        )
        raise FrozenPdfDamaged(version) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != version.sha256:
        logger.error(
            "Frozen PDF of report version %s (%s) does not match its SHA-256: recorded %s, "
            "stored file %s. Restore the file from a backup.",
            version.pk,
            version.pdf.name,
            version.sha256,
            digest,
        )
        raise FrozenPdfDamaged(version)
    return data


def _read_checked(version, chunk_size):
    """The stored file's chunks, each yielded once the next is read, the last only once the
    whole file matches the recorded SHA-256; FrozenPdfDamaged (logged) otherwise."""
    digest = hashlib.sha256()
    held = b""
    try:
        with version.pdf.open("rb") as f:
            while chunk := f.read(chunk_size):
                digest.update(chunk)
                if held:
                    yield held
                held = chunk
    except OSError as error:
        logger.error(
            "Frozen PDF of report version %s cannot be read (%s): %s",
            version.pk,
            version.pdf.name,
            error,
        )
        raise FrozenPdfDamaged(version) from None
    if digest.hexdigest() != version.sha256:
        logger.error(
            "Frozen PDF of report version %s (%s) does not match its SHA-256: recorded %s, "
            "stored file %s. Restore the file from a backup.",
            version.pk,
            version.pdf.name,
            version.sha256,
            digest.hexdigest(),
        )
        raise FrozenPdfDamaged(version)
    if held:
        yield held


def frozen_pdf_chunks(version, chunk_size=64 * 1024):
    """The version's PDF in chunks, checked against its SHA-256 as it is read: a file that
    does not match raises FrozenPdfDamaged (logged) before its last chunk."""
    return _read_checked(version, chunk_size)


def verify_frozen_pdf(version, chunk_size=64 * 1024) -> None:
    """FrozenPdfDamaged (logged) unless the stored file matches its SHA-256; reads in
    chunks, so a large file never sits in memory."""
    for _chunk in _read_checked(version, chunk_size):
        pass
