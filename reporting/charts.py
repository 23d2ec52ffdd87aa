"""The report's chart of visits per ISO week (the project's chart engine, ``core.charts``)."""

import pygal
from django.utils.translation import gettext as _

from core.charts import HEIGHT, WIDTH, chart, svg_without_scripts
from core.formatting import format_number

from .disclosure import threshold

LABELS = 5  # at most this many week labels under the bars (readable on a phone)
SUPPRESSED_COLOUR = "#adb5bd"


def _bar(visits):
    """A week's bar. A suppressed week ("< 5" or "x", see ``reporting.disclosure``) is a
    grey bar of the threshold's height labelled with what is published, not its count."""
    if isinstance(visits, str):
        return {
            "value": threshold(),
            "color": SUPPRESSED_COLOUR,
            "label": visits,
            "formatter": lambda _value: visits,
        }
    return visits


def weekly_visits_svg(weeks: list[dict]) -> str:
    """Bars of visits per ISO week. ``weeks``: [{"week": "2019-W14", "visits": 12}, …], a
    week's visits a count or what the disclosure control publishes of it."""
    bars = chart(
        pygal.Bar,
        width=WIDTH,
        height=HEIGHT - 60,
        show_legend=False,
        x_label_rotation=0,
        x_labels_major_every=max(1, -(-len(weeks) // LABELS)),
        show_minor_x_labels=False,
        truncate_label=-1,
        max_scale=6,
        value_formatter=format_number,
        print_values=any(isinstance(week["visits"], str) for week in weeks),
        print_values_position="top",
        margin=4,
        spacing=4,
    )
    bars.x_labels = [week["week"] for week in weeks]
    bars.add(_("Visits per week"), [_bar(week["visits"]) for week in weeks])
    return svg_without_scripts(bars)


# An indicator's value is printed just after the end of its bar, not centred on it (half of
# it over the bar); the scale leaves room for it. pygal's own stylesheets, and this rule.
INDICATOR_CSS = [
    *pygal.Config().css,
    "inline:.indicator-chart .text-overlay text.value { text-anchor: start; }",
]
INDICATOR_HEADROOM = 1.35


def indicator_svg(row: dict) -> str:
    """A small chart of one indicator: its baseline, target and outcome side by side, each
    bar labelled with its name and value (so they read without colour). No value axis: the
    values are printed after the bars, and at this width its labels were cut to "…". Empty
    when there are not two numbers to compare (the table holds a lone outcome; a withheld
    outcome is never drawn)."""
    bars = [
        (_("Baseline"), row.get("baseline")),
        (_("Target"), row.get("target")),
        (_("Outcome"), row.get("outcome")),
    ]
    bars = [(label, value) for label, value in bars if isinstance(value, (int, float))]
    if len(bars) < 2:
        return ""
    highest = max(value for _label, value in bars)
    small = chart(
        pygal.HorizontalBar,
        width=360,
        height=40 + 28 * len(bars),
        show_legend=False,
        # A horizontal bar chart's y labels are the bars' names; its x labels, the values.
        show_y_labels=True,
        show_x_labels=False,
        print_values=True,
        print_values_position="top",
        value_formatter=format_number,
        range=(0, (highest or 1) * INDICATOR_HEADROOM),
        classes=["pygal-chart", "indicator-chart"],
        css=INDICATOR_CSS,
        margin=2,
        spacing=2,
        show_x_guides=False,
        show_y_guides=False,
    )
    small.x_labels = [label for label, _value in bars]
    small.add(row["name"], [value for _label, value in bars])
    return svg_without_scripts(small)
