"""Backup and restore, independent of the database: every row as Django JSON (natural keys
for users and content types) plus every file of the default storage (the frozen report PDFs and
the attached documents), packed in one .tar.gz with a manifest of SHA-256 checksums.

The files are read and written through Django's storage API (``listdir``, ``open``, ``save``),
so the same commands back up and restore the local disk (MEDIA_ROOT) and an S3 bucket alike;
a backup taken from the disk restores into a bucket and back.

A backup taken on SQLite restores on PostgreSQL and back. Restore goes into a freshly migrated,
empty database, verifies every checksum before it writes anything, and loads everything in
one transaction: it either restores all or changes nothing.

A text with a NUL character, which older versions let SQLite store, cannot be stored by
PostgreSQL: restore names such rows before writing anything, and ``strip_nul`` removes the
NULs (the text fields refuse them since; core/text.py).
"""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = 1
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
# Not backed up, with the reason: rebuilt by migrate, or short-lived.
EXCLUDED = {
    "contenttypes": "recreated by migrate; referenced by natural key",
    "auth.permission": "recreated by migrate; referenced by natural key",
    "sessions": "logins are short-lived; users log in again",
    "axes": "login-failure counters are short-lived",
}
# Present in a freshly migrated database; not counted when asking whether it is empty.
MIGRATE_CREATES = {"contenttypes.ContentType", "auth.Permission", "auth.Group"}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_stored(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(storage, folder: str = "") -> list[str]:
    """The name of every file in ``storage`` (under ``folder``), sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # the local MEDIA_ROOT before the first file
        return []
    found = [str(PurePosixPath(folder) / name) if folder else name for name in files]
    for sub in folders:
        found += media_files(storage, str(PurePosixPath(folder) / sub) if folder else sub)
    return sorted(found)


def _add_bytes(tar, name, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def dump_data() -> bytes:
    out = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        format="exact_json",
        exclude=list(EXCLUDED),
        stdout=out,
        verbosity=0,
    )
    return out.getvalue().encode()


def create_backup(path: Path) -> dict:
    """Write the backup to ``path``; return the manifest."""
    with transaction.atomic():  # one consistent snapshot of the rows (repeatable on PostgreSQL)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        data = dump_data()
    files = {DATA_NAME: sha256_bytes(data)}
    media = media_files(default_storage)
    for name in media:
        files[MEDIA_PREFIX + name] = sha256_stored(default_storage, name)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "files": files,
        "rows": json.loads(data).__len__(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tarfile.open(tmp, "w:gz") as tar:
        _add_bytes(tar, MANIFEST_NAME, json.dumps(manifest, indent=1, sort_keys=True).encode())
        _add_bytes(tar, DATA_NAME, data)
        for name in media:
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            info.size = default_storage.size(name)
            info.mtime = int(timezone.now().timestamp())
            info.mode = 0o600
            with default_storage.open(name, "rb") as f:
                tar.addfile(info, f)
    tmp.replace(path)  # a half-written backup never carries the final name
    return manifest


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def read_backup(path: Path) -> tuple[dict, bytes, dict]:
    """(manifest, data, {media relative path: bytes}), all checksums verified."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise CommandError(f"{path}: not a readable backup ({error})") from error
    with tar:
        contents = {}
        for member in tar.getmembers():
            if not member.isfile() or not _safe_name(member.name):
                raise CommandError(f"Unexpected entry in the backup: {member.name!r}")
            contents[member.name] = tar.extractfile(member).read()
    if MANIFEST_NAME not in contents:
        raise CommandError("The backup has no manifest.")
    manifest = json.loads(contents.pop(MANIFEST_NAME))
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
    expected = manifest["files"]
    if set(expected) != set(contents):
        missing = sorted(set(expected) - set(contents))
        extra = sorted(set(contents) - set(expected))
        raise CommandError(
            f"The backup does not match its manifest: missing {missing}, extra {extra}"
        )
    for name, digest in expected.items():
        if sha256_bytes(contents[name]) != digest:
            raise CommandError(f"Checksum mismatch for {name}: the backup is damaged.")
    media = {
        name[len(MEDIA_PREFIX) :]: data
        for name, data in contents.items()
        if name.startswith(MEDIA_PREFIX)
    }
    return manifest, contents[DATA_NAME], media


def texts_with_nul(rows) -> list[str]:
    """ "model pk field" of every text in the backup's rows that holds a NUL character."""
    return [
        f"{row['model']} {row.get('pk')} {name}"
        for row in rows
        for name, value in row["fields"].items()
        if isinstance(value, str) and "\x00" in value
    ]


def without_nul(rows) -> list:
    for row in rows:
        for name, value in row["fields"].items():
            if isinstance(value, str):
                row["fields"][name] = value.replace("\x00", "")
    return rows


def non_empty_tables() -> list[str]:
    """Models with rows, other than what migrate itself creates."""
    found = []
    for model in apps.get_models():
        if model._meta.label in MIGRATE_CREATES or not model._meta.managed:
            continue
        if model._meta.proxy:
            continue
        if model._default_manager.using("default").exists():
            found.append(model._meta.label)
    return found


def restore_backup(path: Path, *, force: bool = False, strip_nul: bool = False) -> dict:
    manifest, data, media = read_backup(path)  # verify everything before writing anything
    rows = json.loads(data)
    with_nul = texts_with_nul(rows)
    if with_nul and not strip_nul:
        raise CommandError(
            f"The backup holds {len(with_nul)} text(s) with a NUL character, which PostgreSQL "
            "cannot store and the app no longer accepts: "
            + ", ".join(with_nul[:5])
            + (", …" if len(with_nul) > 5 else "")
            + ". Pass --strip-nul to restore them without the NUL characters."
        )
    if with_nul:
        data = json.dumps(without_nul(rows), ensure_ascii=False).encode()
    occupied = non_empty_tables()
    if occupied and not force:
        raise CommandError(
            "The database is not empty ("
            + ", ".join(occupied[:5])
            + (", …" if len(occupied) > 5 else "")
            + "). "
            "Restore into a new database after `migrate`, or pass --force to replace everything."
        )
    clashes = [n for n, b in media.items() if _stored_bytes(n) not in (None, b)]
    if clashes and not force:
        raise CommandError(f"The file storage already holds different files: {clashes[:5]}")
    with tempfile.TemporaryDirectory() as tmp:
        fixture = Path(tmp) / "backup.exact_json"
        fixture.write_bytes(data)
        with transaction.atomic():
            if occupied:
                call_command("flush", interactive=False, verbosity=0)
            # The role groups that migrate created come back from the backup with their ids.
            Group.objects.all().delete()
            # The history comes from the backup. Loading a many-to-many field would otherwise
            # make django-simple-history add a new "changed" record for every activity.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(fixture), verbosity=0)
    for name, content in media.items():
        stored = _stored_bytes(name)
        if stored == content:
            continue
        if stored is not None:
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            raise CommandError(f"The storage saved {name} as {saved}.")
    return manifest


def _stored_bytes(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as f:
        return f.read()
