"""What a file is, read from its content (its first bytes, and for the zip-based formats the
parts the zip holds), never from its name or the browser's word for it. An .exe renamed
.pdf, an HTML page or an SVG image is none of the kinds below and is refused.

The kinds: PDF, PNG, JPEG; Office Open XML (docx, xlsx, pptx: a zip with
``[Content_Types].xml`` and the format's main part); the legacy Office formats (doc, xls,
ppt: an OLE2 compound file, told apart by the name's extension, which must be one of them);
OpenDocument (odt, ods, odp: a zip whose first entry ``mimetype`` names the format).
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


PDF = Kind("pdf", "application/pdf")
PNG = Kind("png", "image/png")
JPEG = Kind("jpg", "image/jpeg")
OOXML = {  # main part → kind
    "word/document.xml": Kind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xl/workbook.xml": Kind(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "ppt/presentation.xml": Kind(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
OLE2 = {
    "doc": Kind("doc", "application/msword"),
    "xls": Kind("xls", "application/vnd.ms-excel"),
    "ppt": Kind("ppt", "application/vnd.ms-powerpoint"),
}
ODF = {
    "application/vnd.oasis.opendocument.text": Kind(
        "odt", "application/vnd.oasis.opendocument.text"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": Kind(
        "ods", "application/vnd.oasis.opendocument.spreadsheet"
    ),
    "application/vnd.oasis.opendocument.presentation": Kind(
        "odp", "application/vnd.oasis.opendocument.presentation"
    ),
}
KINDS = (PDF, PNG, JPEG, *OOXML.values(), *OLE2.values(), *ODF.values())
CONTENT_TYPES = {kind.content_type for kind in KINDS}


def _zip_kind(file) -> Kind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                return ODF.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" not in names:
                return None
            return next((kind for part, kind in OOXML.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None


def detect(file, name: str = "") -> Kind | None:
    """The kind of ``file`` (a binary file object; read from the start, left at the start), or
    None when it is none of the accepted kinds. ``name`` (the uploaded file's name) decides
    only between the legacy Office formats, which share one container."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(OLE2_MAGIC):
            return OLE2.get(PurePath(name).suffix.lower().lstrip("."))
        if head.startswith(ZIP_MAGIC):
            return _zip_kind(file)
        return None
    finally:
        file.seek(0)
