"""The project's one chart engine: pygal, rendered on the server as SVG with no script, so
the same SVG works inline in a page (under the Content Security Policy) and in a
WeasyPrint PDF."""

from pygal.etree import etree
from pygal.style import Style

# Dark blue and orange keep 4.5:1 contrast against white and differ for colour-blind eyes.
CHART_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5394", "#b45f06"),
    font_family="DejaVu Sans, Arial, sans-serif",
)


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
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return etree.tostring(tree, encoding="unicode")
