"""A stored file read back only while it still has the SHA-256 recorded when it was written.

Frozen report PDFs and attached documents are both kept with their checksum; a file altered or
lost in the storage (the local disk or an S3 bucket) is never sent as if it were the original.
The mismatch is logged for the operator, who restores the file from a backup (``manage.py
restore`` verifies every file against its checksum). Everything goes through the storage API
(``FieldFile.open``), never a filesystem path, so it works on every storage backend.
"""

import hashlib
import logging
import tempfile

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
# Up to this size a verified copy stays in memory; a larger one spills to a temporary file.
IN_MEMORY = 4 << 20


class StoredFileDamaged(Exception):
    """The stored file is missing, unreadable or no longer has its recorded SHA-256."""


def verified_chunks(source, sha256: str, *, what: str, chunk_size: int = CHUNK):
    """The chunks of a stored file, for a response or a zip that streams it: ``source`` is a
    ``FieldFile`` or a function that opens a file (so the file is opened only when its turn
    comes). Each chunk is yielded once the next has been read, and the last only once the
    whole file matches ``sha256``; otherwise ``StoredFileDamaged`` (logged, naming ``what``)
    is raised before it, so a damaged file never arrives complete."""
    digest = hashlib.sha256()
    held = b""
    try:
        opened = source() if callable(source) else source.open("rb")
        with opened:
            while chunk := opened.read(chunk_size):
                digest.update(chunk)
                if held:
                    yield held
                held = chunk
    except StoredFileDamaged:
        raise
    except Exception as error:  # noqa: BLE001 - OSError on disk, botocore's errors on S3
        logger.error("%s cannot be read (%s): %s", what, getattr(source, "name", ""), error)
        raise StoredFileDamaged(what) from None
    if digest.hexdigest() != sha256:
        logger.error(
            "%s (%s) does not match its SHA-256: recorded %s, stored file %s. "
            "Restore the file from a backup.",
            what,
            getattr(source, "name", ""),
            sha256,
            digest.hexdigest(),
        )
        raise StoredFileDamaged(what)
    if held:
        yield held


def verified_copy(fieldfile, sha256: str, *, what: str):
    """A copy of ``fieldfile``'s content (a file object at position 0, to be closed by the
    caller or by the response that streams it), read once from the storage while its SHA-256
    is computed (``verified_chunks``). ``StoredFileDamaged`` (logged, naming ``what``) when it
    cannot be read or does not match ``sha256``."""
    copy = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
    try:
        for chunk in verified_chunks(fieldfile, sha256, what=what):
            copy.write(chunk)
    except BaseException:
        copy.close()
        raise
    copy.seek(0)
    return copy


def verify(source, sha256: str, *, what: str, chunk_size: int = CHUNK) -> None:
    """``StoredFileDamaged`` (logged, naming ``what``) unless the stored file (as
    ``verified_chunks`` takes it) can be read whole and matches ``sha256``; read in chunks, so
    a large file never sits in memory."""
    for _chunk in verified_chunks(source, sha256, what=what, chunk_size=chunk_size):
        pass
