"""The project's one chart engine: pygal, rendered on the server as SVG with no script, so
the same SVG works inline in a page (under the Content Security Policy) and in a
WeasyPrint PDF."""

from xml.etree import ElementTree

from pygal.etree import etree
from pygal.style import Style

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

# Dark blue and orange keep 4.5:1 contrast against white and differ for colour-blind eyes;
# the series differ without colour too (a dashed line, a label), see the charts. Light,
# solid guides; labels large enough to read when a phone shrinks the chart to ~360 px.
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#495057",
    colors=("#0b5394", "#b45f06"),
    font_family="DejaVu Sans, Arial, sans-serif",
    guide_stroke_color="#e9ecef",
    guide_stroke_dasharray="none",
    major_guide_stroke_color="#dee2e6",
    major_guide_stroke_dasharray="none",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=13,
    value_label_font_size=13,
)
# Lines of a line chart 3 px wide: pygal draws every path at the style's stroke width (a
# series' own stroke_style keeps only its dash pattern).
LINE_STYLE = Style(**{**CHART_STYLE.to_dict(), "stroke_width": 3})

# The charts' own size: a viewBox that a phone scales down to about two thirds and a laptop
# shows at most at 40rem (static/css/site.css), so 14 px labels stay readable on both.
WIDTH, HEIGHT = 560, 340


def chart(kind, **options):
    """A pygal chart of ``kind`` (``pygal.Bar``, ``pygal.DateLine``, …) in the project's
    style, with no script and no XML declaration; ``options`` add to or override those."""
    defaults = {
        "js": [],
        "disable_xml_declaration": True,
        "style": CHART_STYLE,
        "legend_at_bottom": True,
    }
    return kind(**{**defaults, **options})


def svg_without_scripts(chart) -> str:
    """pygal always embeds a small configuration <script> for its tooltips; the pages'
    Content Security Policy forbids inline scripts and a PDF has no use for them."""
    tree = chart.render_tree()
    _remove(tree, "script")
    return etree.tostring(tree, encoding="unicode")


def _remove(tree, name):
    """Remove every element called ``name`` (in any namespace) from ``tree``."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == name:
                parent.remove(child)


def svg_for_print(svg: str) -> str:
    """The chart (as ``svg_without_scripts`` made it, also one frozen with a report's figures)
    without the ``<desc>`` elements its tooltips read: a print has no tooltips, and they are
    most of the elements WeasyPrint would otherwise match the chart's stylesheet against
    (about 0.1 s of a report's PDF)."""
    if not svg:
        return ""
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own chart, made by pygal
    _remove(root, "desc")
    return ElementTree.tostring(root, encoding="unicode")
