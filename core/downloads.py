"""The file name and ``Content-Disposition`` of every file the app sends.

Names are built from user text (an agreement's short name), so they pass ``core.text.one_line``
first: a carriage return or a quote in a short name can neither break the header nor the
quoting of the name in it. Django's ``content_disposition_header`` quotes an ASCII name and
sends any other as ``filename*=utf-8''…`` (RFC 6266).
"""

import re

from django.utils.http import content_disposition_header

from .text import one_line

# Spaces, quotes, path separators and what Windows refuses in a file name.
NOT_IN_FILE_NAMES = re.compile(r'[\s"\\/:*?<>|]+')


def file_name(stem, extension: str) -> str:
    """``stem`` made a safe file name, with ``extension``: "LivA 2019" → "LivA_2019.pdf"."""
    safe = NOT_IN_FILE_NAMES.sub("_", one_line(stem)).strip("._") or "download"
    return f"{safe[:150]}.{extension}"


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    return content_disposition_header(attachment, filename)
