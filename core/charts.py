"""The project's one chart engine: pygal, rendered on the server as SVG with no script, so
the same SVG works inline in a page (under the Content Security Policy) and in a
WeasyPrint PDF."""

import re
from functools import lru_cache
from xml.etree import ElementTree

import tinycss2
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
    _remove_where(
        tree, lambda node: isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] == name
    )


def _remove_where(tree, condition):
    """Remove every element of ``tree`` (but its root) that meets ``condition``."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if condition(child):
                parent.remove(child)


def svg_for_print(svg: str) -> str:
    """The chart (as ``svg_without_scripts`` made it, also one frozen with a report's figures)
    as a print needs it. A print has no tooltips and no pointer, so it leaves out
    - the ``<desc>`` elements the tooltips read and the empty tooltip group;
    - the rules of pygal's stylesheet that no element of this chart can match: those for
      hovering and for classes the chart does not use (other kinds of chart, the tooltip).
    Those elements and rules are most of what WeasyPrint would otherwise parse and match for a
    chart: with them a report's seven charts took about a third of a short report's PDF."""
    if not svg:
        return ""
    # ElementTree's prefixes are global, and WeasyPrint takes the empty one for its PDF
    # metadata when it is imported: set ours on each call, not once, or the chart is written
    # with "ns0:" prefixes.
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own chart, made by pygal
    _remove(root, "desc")
    _remove_where(root, lambda node: "tooltip-overlay" in node.get("class", "").split())
    classes = frozenset(c for node in root.iter() for c in node.get("class", "").split())
    # pygal's stylesheet is the same for every chart of a style but for the chart's id.
    chart_id = "#" + root.get("id", "")
    for style in root.iter(f"{{{SVG}}}style"):
        css = (style.text or "").replace(chart_id, _CHART_ID)
        style.text = _rules_for(css, classes).replace(_CHART_ID, chart_id)
    return ElementTree.tostring(root, encoding="unicode")


# The classes a selector asks for; those inside a :not(…) are ones it asks to be absent.
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_NEGATION = re.compile(r":not\([^)]*\)")
# Stands for the chart's own id while its stylesheet is filtered, so that the charts of one
# kind share one filtered stylesheet.
_CHART_ID = "#chart"


@lru_cache(maxsize=64)
def _rules_for(css: str, classes: frozenset) -> str:
    """The rules of ``css`` that can match in a print of a chart whose elements have
    ``classes``: each selector of a rule is kept when it asks for no hovering and for no class
    the chart lacks, and a rule left with no selector is dropped."""
    kept = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            kept.append(rule.serialize())
            continue
        selectors = [
            selector.strip()
            for selector in tinycss2.serialize(rule.prelude).split(",")
            if ":hover" not in selector
            and classes.issuperset(_CLASS.findall(_NEGATION.sub("", selector)))
        ]
        if selectors:
            kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
    return "".join(kept)
