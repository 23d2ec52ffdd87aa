"""The project's one chart engine: pygal, rendered on the server as SVG with no script, so
the same SVG works inline in a page (under the Content Security Policy) and in a
WeasyPrint PDF."""

from functools import lru_cache
from xml.etree import ElementTree

import cssselect2
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
    as a print needs it:
    - without the ``<desc>`` elements the tooltips read and the empty tooltip group: a print
      has no tooltips and no pointer;
    - with pygal's stylesheet applied to the elements as attributes, and no ``<style>`` left;
    - without the chart's random id, which nothing then refers to.

    WeasyPrint parses an SVG's stylesheet and compiles each of its selectors for every chart
    it draws: a report's seven charts cost an eighth of its PDF, half of that in their
    stylesheets. The charts of one kind share their stylesheet but for the chart's id, so it
    is parsed and compiled once per process here (``_rules``) and only matched per chart. The
    attributes are set in the order WeasyPrint's own SVG cascade applies the stylesheet (its
    rules by specificity, then the element's ``style``, then what is ``!important``), so the
    chart is drawn the same."""
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
    css = "".join(style.text or "" for style in root.iter(f"{{{SVG}}}style"))
    _remove(root, "style")
    # pygal's stylesheet is the same for every chart of a style but for the chart's id; the
    # root takes the id the shared rules name while they are matched.
    chart_id = root.get("id", "")
    normal, important = _rules(css.replace(f"#{chart_id}", f"#{_CHART_ID}") if chart_id else css)
    root.set("id", _CHART_ID)
    for element in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        node = element.etree_element
        style = node.attrib.pop("style", None)
        own, own_important = _declarations(style) if style else ((), ())
        for declarations in (
            *(match[-1] for match in normal.match(element)),
            own,
            *(match[-1] for match in important.match(element)),
            own_important,
        ):
            for name, value in declarations:
                node.set(name, value)
    # Nothing refers to the id now, and pygal makes a new one for every chart it draws:
    # without it, the same figures make the same print (``reporting.pdf`` reuses a PDF made
    # from the same HTML).
    del root.attrib["id"]
    return ElementTree.tostring(root, encoding="unicode")


# Stands for the chart's own id while its stylesheet is compiled and matched, so that the
# charts of one kind share one compiled stylesheet.
_CHART_ID = "chart"


def _declarations(text: str) -> tuple[list, list]:
    """The (name, value) pairs of a rule's or a ``style`` attribute's declarations: those
    without and those with ``!important``. Vendor-prefixed ones are left out, as WeasyPrint
    leaves them out."""
    normal, important = [], []
    for declaration in tinycss2.parse_blocks_contents(
        text, skip_comments=True, skip_whitespace=True
    ):
        if declaration.type == "declaration" and not declaration.name.startswith("-"):
            value = tinycss2.serialize(declaration.value).strip()
            (important if declaration.important else normal).append((declaration.lower_name, value))
    return normal, important


@lru_cache(maxsize=64)
def _rules(css: str) -> tuple[cssselect2.Matcher, cssselect2.Matcher]:
    """``css`` compiled: one matcher for its declarations without ``!important`` and one for
    those with it. Selectors that cannot match in a print (``:hover``) never match."""
    normal, important = cssselect2.Matcher(), cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue  # as a browser does: a rule it cannot read is left out
        declarations, important_declarations = _declarations(rule.content)
        for selector in selectors:
            if selector.pseudo_element is not None or selector.never_matches:
                continue
            if declarations:
                normal.add_selector(selector, declarations)
            if important_declarations:
                important.add_selector(selector, important_declarations)
    return normal, important
