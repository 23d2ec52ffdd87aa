"""File names and Content-Disposition of downloads (core/downloads.py)."""

import pytest

from core.downloads import content_disposition, file_name


@pytest.mark.parametrize(
    "stem, expected",
    [
        ("sessions-LivA 2019", "sessions-LivA_2019.csv"),
        ('Liv"A\r\nX-INJECTED: 1', "Liv_A_X-INJECTED_1.csv"),
        ("../../etc/passwd", "etc_passwd.csv"),
        ("Hej främling!", "Hej_främling!.csv"),
        ("\x00\r\n", "download.csv"),
    ],
)
def test_file_name(stem, expected):
    assert file_name(stem, "csv") == expected


def test_content_disposition_quotes_ascii_and_encodes_the_rest():
    assert content_disposition("a.pdf") == 'attachment; filename="a.pdf"'
    assert content_disposition("a.pdf", attachment=False) == 'inline; filename="a.pdf"'
    assert content_disposition("främling.pdf") == "attachment; filename*=utf-8''fr%C3%A4mling.pdf"
