"""The kind of a file comes from its content: accepted kinds by their structure, the rest (an
.exe renamed .pdf, HTML, SVG, any zip) refused, whatever the name says."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from documents import filetypes

from . import files


@pytest.mark.parametrize(
    "data, name, extension",
    [
        (files.PDF, "avtal.pdf", "pdf"),
        (files.PNG, "kvitto.png", "png"),
        (files.JPEG, "kvitto.jpeg", "jpg"),
        (files.DOCX, "protokoll.docx", "docx"),
        (files.XLSX, "budget.xlsx", "xlsx"),
        (files.PPTX, "bilder.pptx", "pptx"),
        (files.ODT, "protokoll.odt", "odt"),
        (files.OLE2, "protokoll.doc", "doc"),
        (files.OLE2, "BUDGET.XLS", "xls"),
        # The content decides, not the name.
        (files.PDF, "kvitto.exe", "pdf"),
        (files.DOCX, "protokoll", "docx"),
    ],
)
def test_accepted_kinds_are_read_from_the_content(data, name, extension):
    assert filetypes.detect(io.BytesIO(data), name).extension == extension


@pytest.mark.parametrize(
    "data, name",
    [
        (files.EXE, "kvitto.pdf"),
        (files.HTML, "protokoll.pdf"),
        (files.SVG, "logo.png"),
        (files.PLAIN_ZIP, "protokoll.docx"),
        (files.ZIP_WITH_TYPES_ONLY, "protokoll.docx"),
        (files.OLE2, "program.exe"),  # an OLE2 container is only a legacy Office file by name
        (b"%PD", "short.pdf"),
        (b"", "empty.pdf"),
        (b"PK\x03\x04 not really a zip", "x.xlsx"),
    ],
)
def test_anything_else_is_refused(data, name):
    assert filetypes.detect(io.BytesIO(data), name) is None


def test_detection_leaves_the_file_at_its_start():
    f = io.BytesIO(files.DOCX)
    filetypes.detect(f, "a.docx")
    assert f.tell() == 0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["a.pdf", "a.doc", "a.docx", "a", "a.exe"]))
def test_any_bytes_give_a_kind_or_none_and_never_an_error(data, name):
    kind = filetypes.detect(io.BytesIO(data), name)
    assert kind is None or kind in filetypes.KINDS
