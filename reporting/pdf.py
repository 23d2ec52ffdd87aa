"""One PDF path: the report template rendered to HTML, then WeasyPrint with a small print
stylesheet (not Bootstrap: flexbox and a large stylesheet make WeasyPrint slow) and the
DejaVu fonts read from disk. Nothing is fetched over HTTP: the base URL is the static folder
on disk, and the stylesheet is built once per language and kept (``_stylesheet``)."""

import atexit
import gc
import hashlib
import re
import threading
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .rendering import report_context

STATIC_DIR = settings.BASE_DIR / "static"
FONT_DIR = STATIC_DIR / "fonts"
PRINT_CSS = settings.BASE_DIR / "reporting" / "static" / "reporting" / "report-print.css"


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# Drop the font configuration (and its temporary files) before interpreter shutdown, when
# its destructor can still run.
atexit.register(lambda: (_stylesheet.cache_clear(), _font_config.cache_clear()))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_counter_css() -> str:
    """ "Sida X av Y" in the current language, as a CSS content value."""
    label = gettext("Page %(page)s of %(pages)s")
    tokens = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", label):
        if piece == "%(page)s":
            tokens.append("counter(page)")
        elif piece == "%(pages)s":
            tokens.append("counter(pages)")
        elif piece:
            tokens.append(_css_string(piece))
    return " ".join(tokens)


@cache
def _stylesheet(language: str):
    from weasyprint import CSS

    fonts = "".join(
        f'@font-face {{ font-family: "DejaVu Sans"; font-weight: {weight}; '
        f'src: url("{(FONT_DIR / name).as_uri()}"); }}\n'
        for weight, name in (("normal", "DejaVuSans.ttf"), ("bold", "DejaVuSans-Bold.ttf"))
    )
    with translation.override(language):
        page = f"@page {{ @bottom-right {{ content: {_page_counter_css()}; }} }}\n"
    return CSS(
        string=fonts + PRINT_CSS.read_text(encoding="utf-8") + page,
        base_url=str(STATIC_DIR),
        font_config=_font_config(),
    )


# While a PDF is laid out, the collector's youngest generation is collected after this many
# new objects instead of Python's 700 (see ``_fewer_collections``).
LAYOUT_GC_THRESHOLD = 100_000
_collections = threading.Lock()
_layouts = 0
_threshold = None


@contextmanager
def _fewer_collections():
    """WeasyPrint makes and keeps a few hundred thousand objects while it lays a report out.
    At Python's thresholds that sets off two hundred young collections and one or two full
    ones, each walking every object of the process: 0.15 s in a worker, 0.3 s in a process
    with more data in memory (issue 17's benchmark). With the youngest generation collected
    after 100 000 new objects instead, a layout sets off one young collection and no full
    one; the layout's garbage is still collected, by that collection and the next ones, so
    memory stays as it was (measured over twenty renders). The thresholds are put back when
    the last layout running in the process ends."""
    global _layouts, _threshold
    with _collections:
        if _layouts == 0:
            _threshold = gc.get_threshold()
            gc.set_threshold(max(LAYOUT_GC_THRESHOLD, _threshold[0]), *_threshold[1:])
        _layouts += 1
    try:
        yield
    finally:
        with _collections:
            _layouts -= 1
            if _layouts == 0:
                gc.set_threshold(*_threshold)


def render_report_html(report_or_figures, language, *, figures=None, narrative=None, version=None):
    """The standalone HTML the PDF is made from."""
    from .models import Report

    report = report_or_figures if isinstance(report_or_figures, Report) else None
    if report is None:
        figures = report_or_figures
    elif figures is None:
        from .figures import report_figures

        figures = report_figures(report)
    if narrative is None and report is not None:
        narrative = report.narrative()
    with translation.override(language):
        context = report_context(
            figures=figures, narrative=narrative, report=report, version=version, pdf=True
        )
        context["language"] = language
        return render_to_string("reporting/report_pdf.html", context)


def render_report_pdf(
    report_or_figures, language="sv", *, figures=None, narrative=None, version=None, reuse=False
) -> bytes:
    """The report as PDF bytes. ``report_or_figures``: a Report (its figures computed now
    unless ``figures`` is given) or a figures dict (a frozen snapshot).

    ``reuse`` (the PDF view): if this process made a PDF from the very same HTML a while ago,
    that PDF is returned, not laid out again. The HTML takes a few hundredths of a second,
    the PDF one to two seconds; a report asked for again and again while nothing in it
    changes is laid out once, and any change to it (a figure, a text, the language, the day
    its figures are counted to) makes other HTML and so a new PDF."""
    html = render_report_html(
        report_or_figures, language, figures=figures, narrative=narrative, version=version
    )
    if not reuse:
        return _pdf(html, language)
    key = "report:" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    pdf = caches["pdfs"].get(key)
    if pdf is None:
        pdf = _pdf(html, language)
        caches["pdfs"].set(key, pdf)
    return pdf


def _pdf(html: str, language: str) -> bytes:
    from weasyprint import HTML

    with _fewer_collections():
        document = HTML(string=html, base_url=str(STATIC_DIR))
        # Tagged (headings, tables, paragraphs, the language), so a screen reader reads its
        # structure: the accessibility statement says so.
        return document.write_pdf(
            stylesheets=[_stylesheet(language)], font_config=_font_config(), pdf_tags=True
        )
