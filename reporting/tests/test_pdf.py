"""Few and small: WeasyPrint is slow. The PDF is read back with pypdf and checked against
the database."""

import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from pypdf import PdfReader

from finance.models import Expense
from reporting import services
from reporting.pdf import render_report_pdf
from reporting.tests.factories import write_report
from visits.models import VisitorCount

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def test_submitted_pdf_shows_the_database_figures_and_stays_frozen(
    agreement, logged, report, staff_user
):
    write_report(report, "Kaféet hade öppet.")
    version = services.submit_report(report=report, user=staff_user)
    pdf = version.pdf_bytes()
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)

    total_visits = VisitorCount.objects.filter(session__agreement=agreement).aggregate(
        n=Sum("count")
    )["n"]
    assert f"Besök under perioden: {total_visits}" in text
    staff_outcome = Expense.objects.filter(budget_line__text="Staff").aggregate(t=Sum("amount"))[
        "t"
    ]
    assert f"{int(staff_outcome) // 1000} 000 kr" in text  # 50 000 kr
    assert agreement.case_number in text
    assert "Kaféet hade öppet." in text
    assert "< 5" in text  # the cell of 3
    assert "Sida 1 av" in text

    # A later edit changes nothing in the frozen file.
    VisitorCount.objects.update(count=99)
    version.refresh_from_db()
    assert version.pdf_bytes() == pdf
    assert version.pdf_is_intact()


def test_pdf_in_english_from_the_view(staff_client, logged, report):
    response = staff_client.get(reverse("reporting:report_pdf", args=[report.pk]) + "?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Visits by age band and gender" in text
    assert "Page 1 of" in text
    assert "No activity in the period" in text


def test_a_report_asked_for_again_unchanged_is_not_laid_out_again(
    staff_client, staff_user, logged, report, monkeypatch
):
    """The PDF view reuses the PDF it made from the very same HTML; a change to the report
    (its text, the language) makes a new one, with the change in it."""
    from reporting import pdf as pdf_module

    layouts = []
    real_pdf = pdf_module._pdf
    monkeypatch.setattr(pdf_module, "_pdf", lambda *a: layouts.append(a) or real_pdf(*a))
    url = reverse("reporting:report_pdf", args=[report.pk])

    first, again = staff_client.get(url), staff_client.get(url)
    assert first.status_code == again.status_code == 200
    assert len(layouts) == 1 and again.content == first.content

    write_report(report, "Kaféet hade öppet hela sommaren.")
    changed = staff_client.get(url)
    assert len(layouts) == 2 and "Kaféet hade öppet hela sommaren." in _text(changed.content)
    assert "Visits by age band" in _text(staff_client.get(url + "?lang=en").content)
    assert len(layouts) == 3

    # The PDF that a submission freezes is always laid out anew.
    assert services.submit_report(report=report, user=staff_user).pdf_bytes()
    assert len(layouts) == 4


def test_pdf_from_a_figures_snapshot(logged, report):
    from reporting.figures import report_figures

    text = _text(render_report_pdf(report_figures(report), "en"))
    assert "Provide premises" in text


def test_the_pdf_is_tagged_for_screen_readers(logged, report):
    """A tagged PDF (the accessibility statement says so): a structure tree, marked content
    and the document's language."""
    reader = PdfReader(io.BytesIO(render_report_pdf(report, "sv")))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "sv"


def test_a_pdf_sets_off_few_collections_and_leaves_the_collector_as_it_was(logged, report):
    """WeasyPrint's many objects would set off a collection every 700 (issue 17: a tenth of
    the PDF's time at every maximum); while a PDF is laid out the collector runs seldom, and
    its thresholds are put back afterwards, also when the layout fails."""
    import gc

    from reporting.figures import report_figures

    figures = report_figures(report)
    render_report_pdf(figures, "en")  # WeasyPrint imported, as in a worker after its first PDF
    thresholds = gc.get_threshold()
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        pdf = render_report_pdf(figures, "en")
        during = len(collections)
        collections.clear()
        kept = [[] for _ in range(20_000)]  # objects made outside a PDF
        outside = len(collections)
        del kept
    finally:
        gc.callbacks.remove(count)
    assert during <= 3 and outside >= 10
    assert "Provide premises" in _text(pdf)
    assert gc.get_threshold() == thresholds
    with pytest.raises(KeyError):
        render_report_pdf({}, "en")
    assert gc.get_threshold() == thresholds


def test_the_pdfs_charts_leave_out_the_tooltips(logged, report):
    """A print has no tooltips: the charts the PDF draws carry their bars but not the
    ``<desc>`` elements the page's tooltips read (most of a chart's elements)."""
    import base64
    import re

    from reporting.pdf import render_report_html

    html = render_report_html(report, "en")
    charts = [
        base64.b64decode(uri).decode()
        for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]
    assert charts and all("<rect" in chart and "<desc" not in chart for chart in charts)


def test_the_pdfs_charts_draw_as_the_pages_stylesheet_styles_them(logged, report, monkeypatch):
    """The PDF's charts carry pygal's stylesheet applied as attributes, with no stylesheet
    left for WeasyPrint to parse and compile in every PDF. Drawn by WeasyPrint, each chart
    is the same, stroke for stroke, as the page's chart with its stylesheet (less the
    tooltip, which a print cannot show)."""
    import base64
    import re
    from xml.etree import ElementTree

    from weasyprint import HTML

    from reporting import rendering
    from reporting.pdf import render_report_html

    printed = []

    def recorded(svg):
        printed.append((svg, rendering_svg_for_print(svg)))
        return printed[-1][1]

    rendering_svg_for_print = rendering.svg_for_print
    monkeypatch.setattr(rendering, "svg_for_print", recorded)
    render_report_html(report, "en")

    def without_tooltip(svg):
        ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
        root = ElementTree.fromstring(svg)
        for parent in root.iter():
            for child in list(parent):
                if "tooltip-overlay" in child.get("class", "").split():
                    parent.remove(child)
        return ElementTree.tostring(root, encoding="unicode")

    def drawn(svg):
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        pdf = HTML(string=f'<img src="{uri}" style="width: 150mm">').write_pdf()
        return PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()

    assert len(printed) >= 2  # the visits by week and the budget
    for page_chart, chart in printed:
        assert (
            re.search(r"<style[^>]*>[^<]*\.color-0", page_chart) and "tooltip-overlay" in page_chart
        )
        assert "<style" not in chart and "tooltip-overlay" not in chart and "<desc" not in chart
        assert drawn(chart) == drawn(without_tooltip(page_chart))
