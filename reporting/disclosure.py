"""Disclosure control: every count about people that a report publishes passes through here.

The visitors are young adults in a vulnerable position; a count of 1–4 could point to a
person. A report's counts are registered in one ``Publication`` (its tables, its weekly
series and how they add up) and ``protect()`` returns what may be shown of each:

* **Primary suppression.** A count of 1 to ``threshold − 1`` (``DISCLOSURE_THRESHOLD``,
  default 5) shows as "< 5". Zero is shown: it is about nobody, and hiding every zero would
  hide most of a small report.
* **Secondary (complementary) suppression.** A suppressed count must not be derivable from
  what is shown with it: row, column and grand totals, the weekly series against the period
  total, the other tables of the report. First every line (a total and the counts that add up
  to it) that holds exactly one suppressed figure gets a second one: its smallest shown count
  of at least the threshold, inner cells before totals, totals before the grand total (the
  least information lost). Then an exact audit: for each suppressed figure an integer program
  asks for its smallest and largest value consistent with everything shown, with every "< 5"
  between 1 and threshold − 1 and every "x" at least the threshold (an attacker who knows
  these rules knows that much). A figure pinned to one value gets one more partner in one of
  its lines, and the audit runs again, until no suppressed figure has a single possible value.
  Where nothing is left to hide (a tiny table), the figures tied to the pinned one are not
  published at all ("–").

The audit uses SciPy's MILP solver (HiGHS). It runs only for a publication with suppressed
figures: a report of a normal period has none. ``docs/disclosure.md`` describes the method
with a worked example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from scipy.optimize import Bounds, LinearConstraint, milp

HIDDEN = "x"
# Not published at all: a small table whose every breakdown would give a count away (four
# visitors, each in a cell of their own, all "< 5", add up to a total of "< 5": each is 1).
WITHHELD = "–"


# Kinds of figure, in the order they are chosen as secondary partners (least informative
# first): a count of the table itself, a total of a row or column, the grand total.
CELL, TOTAL, GRAND_TOTAL = 0, 1, 2


def threshold() -> int:
    return settings.DISCLOSURE_THRESHOLD


def small_label() -> str:
    return f"< {threshold()}"


@dataclass
class _Figure:
    value: int
    parts: frozenset[int]  # the base counts it adds up
    kind: int


@dataclass
class Publication:
    """The counts published together, as sums of unknown base counts (whole numbers ≥ 0).

    ``table`` and ``series`` register figures; ``protect`` decides what is shown. Keys are
    any hashable values chosen by the caller, e.g. ``("visits", "cell", 2, 1)``."""

    figures: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)  # (total key, [part keys])
    links: list = field(default_factory=list)  # (keys, keys): two sums of equal value
    n_base: int = 0

    def base(self) -> int:
        """A new base count (its index): what figures add up, e.g. one activity's
        participants, shown on its own or not at all."""
        self.n_base += 1
        return self.n_base - 1

    def figure(self, key, value: int, parts, kind=CELL):
        if key in self.figures:
            raise ValueError(f"figure {key!r} registered twice")
        self.figures[key] = _Figure(int(value), frozenset(parts), kind)
        return key

    def count(self, key, value: int, kind=CELL):
        """A figure that is a base count of its own."""
        return self.figure(key, value, [self.base()], kind)

    def line(self, total, parts):
        """``total`` is the sum of the figures ``parts``."""
        self.lines.append((total, list(parts)))

    def table(self, name, matrix: list[list[int]]) -> dict:
        """A table of counts with its row totals, column totals and grand total. Returns the
        keys: ``cells[r][c]``, ``rows[r]``, ``columns[c]``, ``total``."""
        n_rows = len(matrix)
        n_cols = len(matrix[0]) if matrix else 0
        cells = [
            [self.count((name, "cell", r, c), matrix[r][c]) for c in range(n_cols)]
            for r in range(n_rows)
        ]
        part_sets = {key: self.figures[key].parts for row in cells for key in row}

        def total(key, keys, kind):
            value = sum(self.figures[k].value for k in keys)
            self.figure(key, value, frozenset().union(*(part_sets[k] for k in keys)), kind)
            return key

        rows = [total((name, "row", r), cells[r], TOTAL) for r in range(n_rows)]
        columns = [
            total((name, "column", c), [cells[r][c] for r in range(n_rows)], TOTAL)
            for c in range(n_cols)
        ]
        grand = total((name, "total"), [k for row in cells for k in row], GRAND_TOTAL)
        for r in range(n_rows):
            self.line(rows[r], cells[r])
        for c in range(n_cols):
            self.line(columns[c], [cells[r][c] for r in range(n_rows)])
        self.line(grand, rows)
        self.line(grand, columns)
        return {"cells": cells, "rows": rows, "columns": columns, "total": grand}

    def series(self, name, values: list[int], total) -> list:
        """Counts that add up to the figure ``total`` registered before (the weeks of the
        period against its total visits): they count the same people another way."""
        keys = [self.count((name, i), v) for i, v in enumerate(values)]
        self.line(total, keys)
        self.links.append(([total], keys))
        return keys

    # --- protection ----------------------------------------------------------------------

    def protect(self, *, secondary=True) -> dict:
        """Key → what may be published: the count, "< 5" or "x". ``secondary=False`` skips
        complementary suppression: only for the tests that show why it is needed."""
        small = {k for k, f in self.figures.items() if 0 < f.value < threshold()}
        hidden: set = set()
        withheld: set = set()
        if secondary and small:
            while True:
                self._complete_lines(small, hidden)
                pinned = self._pinned(small, hidden, withheld)
                if pinned is None:
                    break
                if not self._add_partner(pinned, small, hidden):
                    withheld |= self._connected(pinned)
        label = small_label()
        return {
            k: WITHHELD
            if k in withheld
            else label
            if k in small
            else HIDDEN
            if k in hidden
            else f.value
            for k, f in self.figures.items()
        }

    def _candidates(self, line_keys, small, hidden):
        return sorted(
            (
                k
                for k in line_keys
                if k not in small and k not in hidden and self.figures[k].value >= threshold()
            ),
            key=lambda k: (self.figures[k].kind, self.figures[k].value),
        )

    def _complete_lines(self, small, hidden):
        """Every line with exactly one suppressed figure gets a second one."""
        changed = True
        while changed:
            changed = False
            for total, parts in self.lines:
                keys = [total, *parts]
                if sum(k in small or k in hidden for k in keys) == 1:
                    candidates = self._candidates(keys, small, hidden)
                    if candidates:
                        hidden.add(candidates[0])
                        changed = True

    def _add_partner(self, pinned, small, hidden) -> bool:
        """Hide one more figure in a line of the pinned figure ``pinned`` (or, when its lines
        have none left, among the figures that add up some of the same base counts, or else
        anywhere in the publication). False when nothing is left to hide."""
        options = []
        for total, parts in self.lines:
            keys = [total, *parts]
            if pinned in keys:
                options += self._candidates(keys, small, hidden)
        if not options:  # figures over the same base counts (participants of activities)
            overlapping = [
                k for k, f in self.figures.items() if f.parts & self.figures[pinned].parts
            ]
            options = self._candidates(overlapping, small, hidden)
        options = options or self._candidates(list(self.figures), small, hidden)
        if not options:
            return False
        options.sort(key=lambda k: (self.figures[k].kind, self.figures[k].value))
        hidden.add(options[0])
        return True

    def _connected(self, key) -> set:
        """``key`` and every figure tied to it by a line, a link or shared base counts: what
        is withheld together when nothing else protects it."""
        found, todo = {key}, [key]
        while todo:
            current = todo.pop()
            tied = {k for k, f in self.figures.items() if f.parts & self.figures[current].parts}
            for total, parts in self.lines:
                if current == total or current in parts:
                    tied |= {total, *parts}
            for left, right in self.links:
                if current in left or current in right:
                    tied |= {*left, *right}
            todo += tied - found
            found |= tied
        return found

    def _pinned(self, small, hidden, withheld):
        """A suppressed figure that what is shown pins to one value, or None."""
        audit = _Audit(self, small, hidden, withheld)
        for key in sorted((small | hidden) - withheld, key=repr):
            if audit.is_pinned(self.figures[key].parts):
                return key
        return None


class _Audit:
    """The attacker's integer program: base counts x ≥ 0 (whole numbers) with every shown
    figure fixed, every "< 5" in [1, threshold − 1], every "x" at least the threshold, and
    nothing known of a withheld figure."""

    def __init__(self, publication: Publication, small, hidden, withheld=frozenset()):
        n = publication.n_base
        total = sum(f.value for f in publication.figures.values())
        self.n = n
        self.upper = total + threshold() * (len(publication.figures) + 1)
        rows, lower, upper = [], [], []
        for key, figure in publication.figures.items():
            if key in withheld:
                continue
            rows.append(self._row(figure.parts))
            if key in small:
                lower.append(1), upper.append(threshold() - 1)
            elif key in hidden:
                lower.append(threshold()), upper.append(np.inf)
            else:
                lower.append(figure.value), upper.append(figure.value)
        for left, right in publication.links:
            row = sum(self._row(publication.figures[k].parts) for k in left) - sum(
                self._row(publication.figures[k].parts) for k in right
            )
            rows.append(row)
            lower.append(0), upper.append(0)
        self.constraints = LinearConstraint(np.array(rows), lower, upper)

    def _row(self, parts):
        row = np.zeros(self.n)
        row[list(parts)] = 1
        return row

    def _extreme(self, objective):
        result = milp(
            objective,
            constraints=self.constraints,
            integrality=np.ones(self.n),
            bounds=Bounds(0, self.upper),
        )
        if result.status != 0:  # infeasible cannot happen (the true counts fit)
            raise RuntimeError(f"disclosure audit failed: {result.message}")
        return round(result.fun)

    def is_pinned(self, parts) -> bool:
        row = self._row(parts)
        return self._extreme(row) == -self._extreme(-row)
