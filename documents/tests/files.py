"""Small files of every kind, built here: enough of each format for its magic bytes and
structure, no more."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(60) + b"This program cannot be run in DOS mode."
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'


def _zip(entries, *, stored_first=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first[0]), stored_first[1], compress_type=zipfile.ZIP_STORED
            )
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def ooxml(main_part: str) -> bytes:
    return _zip(
        {"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", main_part: "<x/>"}
    )


DOCX = ooxml("word/document.xml")
XLSX = ooxml("xl/workbook.xml")
PPTX = ooxml("ppt/presentation.xml")
ODT = _zip(
    {"content.xml": "<x/>"}, stored_first=("mimetype", "application/vnd.oasis.opendocument.text")
)
PLAIN_ZIP = _zip({"readme.txt": "hello"})
ZIP_WITH_TYPES_ONLY = _zip({"[Content_Types].xml": "<Types/>", "evil.js": "x"})
