"""A small hand-made SVG bar chart: no script, no stylesheet, attributes only, so it renders
the same in a browser, under the Content Security Policy and in WeasyPrint."""

from math import ceil
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 700, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 34
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="10"'


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def weekly_visits_svg(weeks: list[dict]) -> str:
    """Bars of visits per ISO week. ``weeks``: [{"week": "2019-W14", "visits": 12}, …]."""
    title = _("Visits per week")
    n = len(weeks)
    peak = max((w["visits"] for w in weeks), default=0)
    top = _nice_max(peak)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / n if n else plot_w
    total = sum(w["visits"] for w in weeks)
    description = _("%(weeks)s weeks, %(total)s visits in all, at most %(peak)s in a week.") % {
        "weeks": n,
        "total": total,
        "peak": peak,
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="vw-title vw-desc" '
        f'class="chart">',
        f'<title id="vw-title">{escape(title)}</title>',
        f'<desc id="vw-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h - plot_h * fraction
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#c8c8c8" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 3.5:.1f}" text-anchor="end" {FONT} '
            f'fill="#333">{int(top * fraction)}</text>'
        )
    gap = 0.15 * slot if slot > 4 else 0
    for i, week in enumerate(weeks):
        h = plot_h * week["visits"] / top if top else 0
        if h:
            x = LEFT + i * slot + gap / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot - gap:.1f}" '
                f'height="{h:.1f}" fill="#1f5f8b"/>'
            )
    label_every = max(1, ceil(n / 8))
    for i in range(0, n, label_every):
        x = LEFT + i * slot + slot / 2
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" {FONT} '
            f'fill="#333">{escape(weeks[i]["week"])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
