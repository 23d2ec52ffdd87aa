"""Disclosure control, tried as an auditor would: build reports with small counts, read every
published figure back from the page (and the PDF), and let an exact attacker (an integer
program over the published table, its totals, the weekly series and the bounds that "< 5"
and "x" give away) try to pin each suppressed figure to one value."""

import csv
import html
import io
import re
import zipfile
from datetime import date, timedelta

import numpy as np
import pypdf
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from reporting import disclosure
from reporting.disclosure import HIDDEN, WITHHELD, Publication
from reporting.tests.factories import write_report
from visits.models import VisitorCount
from visits.tests.factories import AgeBandFactory, SessionFactory, VenueFactory

SMALL = "< 5"
THRESHOLD = 5


# --- the attacker --------------------------------------------------------------------------


def attack(rows, row_totals, column_totals, total, weeks):
    """(figure, smallest, largest) for every suppressed figure of a published age × gender
    table with its totals and the weekly series of the same visits, as an attacker who
    knows the rules works them out: cells and weeks are whole numbers ≥ 0, a "< 5" is 1–4,
    an "x" is at least 5 (a smaller value would have been "< 5"), the weeks add up to the
    table. Written apart from ``reporting.disclosure`` on purpose."""
    n_rows, n_cols, n_weeks = len(rows), len(column_totals), len(weeks)
    n = n_rows * n_cols + n_weeks

    def cell(r, c):
        v = np.zeros(n)
        v[r * n_cols + c] = 1
        return v

    published = []  # (name, coefficients, shown)
    for r in range(n_rows):
        for c in range(n_cols):
            published.append((("cell", r, c), cell(r, c), rows[r][c]))
        published.append((("row", r), sum(cell(r, c) for c in range(n_cols)), row_totals[r]))
    for c in range(n_cols):
        published.append((("column", c), sum(cell(r, c) for r in range(n_rows)), column_totals[c]))
    everything = sum(cell(r, c) for r in range(n_rows) for c in range(n_cols))
    published.append((("total",), everything, total))
    week_vectors = []
    for k in range(n_weeks):
        v = np.zeros(n)
        v[n_rows * n_cols + k] = 1
        week_vectors.append(v)
        published.append((("week", k), v, weeks[k]))

    matrix, lower, upper = [], [], []
    for _name, coefficients, shown in published:
        if shown == WITHHELD:  # not published: nothing known
            continue
        matrix.append(coefficients)
        if shown == SMALL:
            lower.append(1), upper.append(THRESHOLD - 1)
        elif shown == HIDDEN:
            lower.append(THRESHOLD), upper.append(np.inf)
        else:
            lower.append(shown), upper.append(shown)
    matrix.append(everything - sum(week_vectors))  # the weeks count the same visits
    lower.append(0), upper.append(0)
    constraints = LinearConstraint(np.array(matrix), lower, upper)
    bound = 10 * (sum(v for _n, _c, v in published if isinstance(v, int)) + 100)

    def extreme(objective):
        result = milp(
            objective, constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, bound)
        )
        assert result.status == 0, result.message
        return round(result.fun)

    return [
        (name, extreme(coefficients), -extreme(-coefficients))
        for name, coefficients, shown in published
        if shown in (SMALL, HIDDEN)
    ]


def pinned(found):
    return [(name, low) for name, low, high in found if low == high]


def protect(matrix, weeks, *, secondary=True):
    publication = Publication()
    keys = publication.table("visits", matrix)
    week_keys = publication.series("weeks", weeks, keys["total"])
    shown = publication.protect(secondary=secondary)
    return (
        [[shown[k] for k in row] for row in keys["cells"]],
        [shown[k] for k in keys["rows"]],
        [shown[k] for k in keys["columns"]],
        shown[keys["total"]],
        [shown[k] for k in week_keys],
    )


# --- reports built and read back -------------------------------------------------------------

W, M, OTHER = "woman", "man", "other"


def flatten(data, prefix=""):
    """("visits.table.total", 123) pairs of a nested figures dict."""
    if isinstance(data, dict):
        for key in sorted(data):
            if key != "chart_svg":
                yield from flatten(data[key], f"{prefix}.{key}" if prefix else key)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from flatten(item, f"{prefix}[{i}]")
    else:
        yield prefix, "" if data is None else data


def log_day(agreement, day, counts):
    """One session on ``day`` with ``counts``: {(band index, gender): n}."""
    venue = agreement.venues.first() or VenueFactory(agreement=agreement, name="Café")
    bands = list(agreement.age_bands.order_by("order")) or [
        AgeBandFactory(agreement=agreement, label=label, order=i)
        for i, label in enumerate(["under 18", "18–25", "26 and older"])
    ]
    session = SessionFactory(venue=venue, agreement=agreement, date=day)
    for (band, gender), n in counts.items():
        VisitorCount.objects.create(session=session, age_band=bands[band], gender=gender, count=n)


def report_for(agreement, start, end):
    deadline = agreement.deadlines.create(
        kind="interim", period_start=start, period_end=end, due_date=end
    )
    return deadline.report


def _published(text):
    """A figure as the page shows it: a count ("1 234"), "< 5" or "x"."""
    text = html.unescape(text).replace("\u00a0", "").replace(" ", "").strip()
    if text == SMALL.replace(" ", ""):
        return SMALL
    return text if text in (HIDDEN, WITHHELD) else int(text)


def _cells(fragment):
    return [_published(v) for v in re.findall(r'<td class="num">([^<]*)</td>', fragment)]


def read_back(page: str):
    """The age × gender table, its totals and the weekly series, as the page shows them."""
    table = re.search(
        r"<caption>Visits by age band and gender</caption>(.*?)</table>", page, re.S
    ).group(1)
    body, foot = re.search(r"<tbody>(.*?)</tbody>.*?<tfoot>(.*?)</tfoot>", table, re.S).groups()
    rows = [_cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    footer = _cells(foot)
    chart = re.search(r'<figure class="chart">(.*?)</figure>', page, re.S).group(1)
    weeks = [_published(v) for v in re.findall(r'<desc class="value">([^<]*)</desc>', chart)]
    return [r[:-1] for r in rows], [r[-1] for r in rows], footer[:-1], footer[-1], weeks


SMALL_REPORTS = {
    # One day: a handful of visitors in a few cells.
    "one day": (
        [(0, {(0, W): 3, (1, M): 12, (1, W): 6, (2, M): 1})],
        1,
    ),
    # One week of three days, a small cell on each.
    "one week": (
        [
            (0, {(0, W): 2, (1, M): 9, (2, W): 7}),
            (2, {(0, M): 4, (1, M): 8, (1, W): 5}),
            (4, {(2, OTHER): 1, (1, W): 11, (0, W): 6}),
        ],
        7,
    ),
    # A small agreement: three weeks, few visitors.
    "small agreement": (
        [
            (0, {(0, W): 6, (1, M): 3}),
            (7, {(0, W): 1, (2, M): 9, (1, M): 5}),
            (14, {(2, W): 2, (1, M): 7}),
        ],
        21,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", SMALL_REPORTS)
def test_an_exact_attacker_pins_no_suppressed_figure_of_a_published_report(
    name, agreement, coordinator_client
):
    days, length = SMALL_REPORTS[name]
    start = date(2019, 4, 1)
    for offset, counts in days:
        log_day(agreement, start + timedelta(days=offset), counts)
    report = report_for(agreement, start, start + timedelta(days=length - 1))

    page = coordinator_client.get(
        reverse("reporting:report_detail", args=[report.pk]) + "?lang=en"
    ).content.decode()
    rows, row_totals, column_totals, total, weeks = read_back(page)
    assert len(rows) == 3 and len(column_totals) == 3
    assert len(weeks) == len(weekly(days))  # every week of the chart was read
    shown = [v for row in rows for v in row] + row_totals + column_totals + [total] + weeks
    assert SMALL in shown  # the report has small counts to protect
    assert not any(isinstance(v, int) and 0 < v < THRESHOLD for v in shown)
    assert pinned(attack(rows, row_totals, column_totals, total, weeks)) == []

    # The PDF publishes the same: no small count, the same marks.
    pdf = coordinator_client.get(reverse("reporting:report_pdf", args=[report.pk]) + "?lang=en")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    table_text = text.split("Visits by age band and gender", 1)[1].split("Opening days", 1)[0]
    assert "< 5" in table_text
    for label in ("under 18", "18–25", "26 and older"):
        line = next(line for line in table_text.splitlines() if line.startswith(label))
        assert not re.search(r"(?<![<\d])\b[1-4]\b(?!\d)", line.replace("< 5", "")), line


@pytest.mark.parametrize("name", SMALL_REPORTS)
def test_without_secondary_suppression_the_attacker_succeeds(name):
    """The attack test has teeth: switch complementary suppression off and the same
    tables give a small count away."""
    days, _length = SMALL_REPORTS[name]
    matrix = [[0, 0, 0] for _ in range(3)]
    for _offset, counts in days:
        for (band, gender), n in counts.items():
            matrix[band][[W, M, OTHER].index(gender)] += n
    weeks = weekly(days)
    assert pinned(attack(*protect(matrix, weeks, secondary=False)))
    assert pinned(attack(*protect(matrix, weeks))) == []


def weekly(days):
    per_week = {}
    for offset, counts in days:
        per_week[offset // 7] = per_week.get(offset // 7, 0) + sum(counts.values())
    return [per_week.get(k, 0) for k in range(max(per_week) + 1)]


tables = st.integers(1, 4).flatmap(
    lambda n_rows: st.tuples(
        st.lists(
            st.lists(st.integers(0, 14), min_size=3, max_size=3),
            min_size=n_rows,
            max_size=n_rows,
        ),
        st.integers(1, 3),
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.randoms(use_true_random=False))
def test_no_random_table_gives_a_suppressed_figure_away(table, rng):
    matrix, n_weeks = table
    total = sum(map(sum, matrix))
    cuts = sorted(rng.randint(0, total) for _ in range(n_weeks - 1))
    weeks = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    published = protect(matrix, weeks)
    cells, row_totals, column_totals, grand, shown_weeks = published
    everything = [v for row in cells for v in row] + row_totals + column_totals + [grand]
    assert not any(isinstance(v, int) and 0 < v < THRESHOLD for v in everything + shown_weeks)
    assert pinned(attack(*published)) == [], (matrix, weeks, published)


def test_a_table_without_small_counts_is_published_as_it_is():
    assert protect([[5, 6], [7, 0]], [18]) == ([[5, 6], [7, 0]], [11, 7], [12, 6], 18, [18])


def test_a_table_that_no_suppression_protects_is_withheld():
    """Four visitors alone in their cells: each "< 5" is at least 1 and the total at most 4,
    so each is 1. Nothing of at least 5 is left to hide: the table and its week go."""
    published = protect([[0, 0, 1], [1, 1, 1]], [4])
    cells, rows, columns, total, weeks = published
    assert total == WITHHELD and weeks == [WITHHELD]
    assert all(v in (0, WITHHELD) for v in [*cells[0], *cells[1], *rows, *columns])
    assert pinned(attack(*published)) == []


def test_zero_is_shown_and_small_totals_are_suppressed():
    cells, rows, columns, total, weeks = protect([[2, 0], [0, 30]], [32])
    assert cells[0] == [SMALL, 0]  # a zero is about nobody
    assert rows[0] == SMALL and columns[0] == SMALL


def test_the_threshold_is_a_setting(settings):
    settings.DISCLOSURE_THRESHOLD = 10
    cells, *_rest = protect([[7, 12], [15, 20]], [54])
    assert cells[0][0] == "< 10"
    assert disclosure.small_label() == "< 10"


def test_participants_of_overlapping_commitments_are_protected_too():
    """Participants per activity type and per commitment are sums over the same activities:
    a small type must not be the difference of two commitments."""
    publication = Publication()
    a1, a2, a3 = (publication.base() for _ in range(3))  # three activities: 2, 1 and 7
    small_type = publication.figure(("type", "talk"), 3, [a1, a2])
    other_type = publication.figure(("type", "sport"), 7, [a3])
    both = publication.figure(("commitment", 0), 10, [a1, a2, a3])
    publication.figure(("commitment", 1), 7, [a3])
    shown = publication.protect()
    assert shown[small_type] == SMALL
    # Shown, "commitment 0 − commitment 1" would give the small type away.
    assert HIDDEN in (shown[both], shown[("commitment", 1)], shown[other_type])


@pytest.mark.django_db
def test_the_snapshot_and_the_auditor_bundle_hold_only_what_is_published(
    agreement, staff_user, fake_pdf
):
    from reporting import services
    from reporting.bundle import audit_bundle

    days, length = SMALL_REPORTS["one day"]
    start = date(2019, 4, 1)
    for offset, counts in days:
        log_day(agreement, start + timedelta(days=offset), counts)
    report = report_for(agreement, start, start + timedelta(days=length - 1))
    write_report(report, "A quiet day.")
    version = services.submit_report(report=report, user=staff_user)

    def people(figures):
        return {
            key: value
            for key, value in flatten(figures)
            if key.startswith(("visits.", "support.")) or key.endswith(".participants")
        }

    frozen = people(version.figures)
    assert "< 5" in frozen.values() and "x" in frozen.values()
    assert not [k for k, v in frozen.items() if isinstance(v, int) and 0 < v < THRESHOLD]
    # The exact counts stay in the live database, for staff.
    assert VisitorCount.objects.filter(count=3).exists()

    # The bundle's visits per month hold the small counts as published, never exact.
    bundle = zipfile.ZipFile(io.BytesIO(audit_bundle(agreement)))
    [csv_name] = [n for n in bundle.namelist() if "visits_per_month" in n or "besök" in n]
    rows = list(csv.reader(io.StringIO(bundle.read(csv_name).decode("utf-8-sig"))))
    counts = [cell for row in rows[1:] for cell in row[1:]]
    assert counts
    assert not [c for c in counts if c.isdigit() and 0 < int(c) < THRESHOLD], rows
