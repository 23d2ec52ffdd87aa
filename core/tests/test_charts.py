"""The charts as a print takes them (core/charts.py): pygal's stylesheet applied to the
elements as attributes, in the order of the CSS cascade."""

from xml.etree import ElementTree

from core.charts import SVG, svg_for_print

CHART = f"""<svg xmlns="{SVG}" id="chart-1">
<style>
#chart-1 .bar {{ fill: red; stroke: black }}
#chart-1 .bar.wide {{ fill: blue }}
#chart-1 .bar:hover {{ fill: pink }}
.loud {{ fill: yellow !important }}
#chart-2 .bar {{ stroke: grey }}
</style>
<desc>A tooltip's text</desc>
<g class="plot tooltip-overlay"><rect class="tooltip-box"/></g>
<rect id="styled" class="bar wide" style="fill: green"/>
<rect id="attribute" class="bar" fill="white"/>
<rect id="important" class="bar loud" style="fill: green"/>
<rect id="plain" fill="white"/>
</svg>"""


def elements(svg):
    root = ElementTree.fromstring(svg)  # noqa: S314 - the test's own chart
    return root, {node.get("id"): node.attrib for node in root.iter(f"{{{SVG}}}rect")}


def test_the_stylesheet_becomes_attributes_in_the_order_of_the_cascade():
    root, rects = elements(svg_for_print(CHART))
    # The element's own style beats the rules, however specific; the rules beat its
    # attributes; what is !important beats the element's own style.
    assert rects["styled"]["fill"] == "green" and rects["styled"]["stroke"] == "black"
    assert rects["attribute"] == {
        "id": "attribute",
        "class": "bar",
        "fill": "red",
        "stroke": "black",
    }
    assert rects["important"]["fill"] == "yellow"
    assert rects["plain"] == {"id": "plain", "fill": "white"}
    # Nothing for hovering, nor another chart's rules; no style is left to parse.
    assert "pink" not in str(rects) and "grey" not in str(rects)
    assert not any("style" in attributes for attributes in rects.values())
    assert root.find(f"{{{SVG}}}style") is None and root.find(f"{{{SVG}}}desc") is None
    # The tooltip a print cannot show is gone, and so is the chart's id, which pygal draws
    # at random and nothing refers to any longer: the same chart prints the same.
    assert "tooltip-box" not in str(rects) and root.get("id") is None
    assert svg_for_print(CHART) == svg_for_print(CHART.replace("chart-1", "chart-9"))


def test_charts_of_one_kind_share_a_stylesheet_but_each_keeps_its_own_rules():
    svg_for_print(CHART)
    second = CHART.replace("chart-1", "chart-2")
    root, rects = elements(svg_for_print(second))
    assert rects["attribute"]["fill"] == "red"
    # This chart's id now names the rule for grey strokes, which comes after the black one.
    assert rects["attribute"]["stroke"] == "grey"


def test_an_empty_chart_stays_empty():
    assert svg_for_print("") == ""
