"""The report PDF's layout, read back with poppler's pdftotext (word boxes): no table runs
past the right margin, no heading or table caption is left alone at the foot of a page, and a
table that breaks across pages repeats its header. WeasyPrint is slow: a few renderings."""

import html
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest

from partnership.models import Commitment
from reporting.pdf import render_report_html, render_report_pdf
from reporting.tests.factories import write_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)"),
]

MM = 72 / 25.4
MARGIN_LEFT, MARGIN_RIGHT = 16 * MM, 16 * MM  # report-print.css: @page margin
NS = "{http://www.w3.org/1999/xhtml}"


def _pages(pdf: bytes, tmp_path):
    """[(width, [(yMax, line text, xMin, xMax)])] per page, lines top to bottom."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = []
    for page in ElementTree.fromstring(xml).iter(f"{NS}page"):
        lines = []
        for line in page.iter(f"{NS}line"):
            words = [w.text for w in line.iter(f"{NS}word")]
            lines.append(
                (
                    float(line.get("yMax")),
                    " ".join(words),
                    float(line.get("xMin")),
                    float(line.get("xMax")),
                )
            )
        pages.append((float(page.get("width")), sorted(lines)))
    return pages


def _flat(fragment):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _headings(report):
    """The headings and visible table captions of the report as printed, and the sentences
    that introduce what follows a heading (a paragraph right after it): a page that ends
    with either has left a heading behind."""
    page = render_report_html(report, "sv")
    headings, intros = set(), []
    pattern = r"<(h[1-3]|caption)([^>]*)>(.*?)</\1>\s*(<p[^>]*>(.*?)</p>)?"
    for _tag, attrs, text, p, intro in re.findall(pattern, page, re.DOTALL):
        if "visually-hidden" not in attrs and _flat(text):
            headings.add(_flat(text))
            # A follow-up's commitment is no introduction: the follow-up, heading included,
            # is kept on one page, and its text is also a cell of the commitments table.
            if intro and 'class="commitment"' not in p:
                intros.append(_flat(intro))
    return headings, intros


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker):
    """The demo data (the seed agreement with a year and a half of logs): the layout that
    real reports have, with tall tables and flagged lines ("… kr (40 %, avvikelse)")."""
    import io

    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("demo_data", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def long_report(demo_reports):
    """The renewed agreement's interim report that was returned to the staff (the demo has
    submitted or approved the others), with 30 more commitments: a table over pages."""
    from reporting.models import Report

    report = Report.objects.filter(
        status__in=["draft", "returned"], agreement__renews__isnull=False, deadline__kind="interim"
    ).latest("deadline__due_date")
    party = report.agreement.parties.get(role="idea_driven")
    for n in range(30):
        Commitment.objects.create(
            agreement=report.agreement,
            party=party,
            order=10 + n,
            text=f"Commitment {n}: meet the target group where it is, every week of the year",
        )
    return report


@pytest.mark.parametrize("paragraphs", range(0, 12, 3))
def test_no_table_is_wider_than_the_page_and_no_heading_ends_a_page(
    long_report, paragraphs, tmp_path
):
    # Narratives of different lengths move every page break.
    write_report(long_report, "\n\n".join(["The café was open as agreed."] * (paragraphs + 1)))
    pages = _pages(render_report_pdf(long_report, "sv"), tmp_path)
    headings, intros = _headings(long_report)
    assert len(pages) >= 3 and "Besök efter åldersgrupp och kön" in headings and intros
    for number, (width, lines) in enumerate(pages, start=1):
        for _y, text, x_min, x_max in lines:
            assert x_max <= width - MARGIN_RIGHT + 1, f"page {number}: {text!r} ends at {x_max}"
            assert x_min >= MARGIN_LEFT - 1, f"page {number}: {text!r} starts at {x_min}"
        body = [(y, text) for y, text, *_ in lines if not text.startswith("Sida ")]
        if number < len(pages):
            last_y, last = body[-1]
            # A heading is alone on its line; a table row whose label is also a heading's
            # text ("Mottagna utbetalningar") has its amount beside it.
            alone = [text for y, text in body if abs(y - last_y) < 1] == [last]
            assert not (alone and last in headings), f"page {number} ends with the heading {last!r}"
            # The last line of an introduction (a chart’s labels may repeat words of one).
            assert not any(intro.endswith(last) for intro in intros), (
                f"page {number} ends with a heading's introduction {last!r}"
            )


def test_a_table_that_breaks_across_pages_repeats_its_header(long_report, tmp_path):
    write_report(long_report, "The café was open as agreed.")
    pages = _pages(render_report_pdf(long_report, "sv"), tmp_path)
    header = {"Part", "Åtagande", "Insatser", "Deltagare"}  # its cells, each a line of text
    # The follow-up section, before the table, names the commitments too: the table starts
    # at its first header.
    first = next(
        n for n, (_w, lines) in enumerate(pages) if any(t == "Åtagande" for _y, t, *_ in lines)
    )
    with_rows = [
        n
        for n, (_w, lines) in enumerate(pages)
        if n >= first and any("Commitment" in t for _y, t, *_ in lines)
    ]
    assert len(with_rows) >= 2, "the commitments table should need two pages"
    for n in with_rows:
        texts = [t for _y, t, *_ in pages[n][1]]
        first_row = next(i for i, t in enumerate(texts) if "Commitment" in t or "Run the" in t)
        above = {word for text in texts[:first_row] for word in text.split()}
        assert header <= above, f"page {n + 1} continues the table without its header"
