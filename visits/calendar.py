"""Which days a venue is expected to be open, for the completeness figure of the reports.

A venue is expected open on every weekday of its opening pattern (``OpeningHours``). When
``venue.closed_on_public_holidays`` is set, it is closed on:

* every Swedish public holiday (*allmän helgdag*) as ``holidays.Sweden`` lists them:
  New Year's Day (1 Jan), Epiphany (6 Jan), Good Friday, Easter Sunday, Easter Monday,
  May Day (1 May), Ascension Day, National Day (6 Jun), Pentecost (Whit Sunday),
  Midsummer Day (the Saturday 20–26 Jun), All Saints' Day (the Saturday 31 Oct–6 Nov),
  Christmas Day (25 Dec) and Boxing Day (26 Dec). Ordinary Sundays are *not* holidays here:
  we pass ``include_sundays=False`` (older releases of ``holidays`` counted every Sunday as a
  Swedish holiday by default), so a venue open on Sundays is expected open on them;
* and on the three eves that are de facto days off in Sweden, computed here rather than
  taken from a ``holidays`` category (their category has moved between releases):
  Midsummer Eve (the Friday 19–25 Jun), Christmas Eve (24 Dec) and New Year's Eve (31 Dec).

Easter Eve and Whitsun Eve are not closed: they fall on Saturdays, and a venue open on a
Saturday is expected open then. ``tests/test_calendar.py`` pins concrete 2019/2020 dates.
"""

from datetime import date, timedelta

import holidays


def _midsummer_eve(year: int) -> date:
    day = date(year, 6, 19)
    return day + timedelta(days=(4 - day.weekday()) % 7)  # the Friday 19–25 June


def closed_days(years) -> set[date]:
    """Public holidays and the three eves of the given years."""
    years = sorted(set(years))
    days = set(holidays.Sweden(years=years, include_sundays=False).keys())
    for year in years:
        days |= {_midsummer_eve(year), date(year, 12, 24), date(year, 12, 31)}
    return days


def expected_opening_days(venue, start: date, end: date) -> list[date]:
    """The days in ``start``..``end`` (inclusive) on which ``venue`` is expected open."""
    if end < start:
        return []
    weekdays = {oh.weekday for oh in venue.opening_hours.all()}
    if not weekdays:
        return []
    closed = (
        closed_days(range(start.year, end.year + 1)) if venue.closed_on_public_holidays else set()
    )
    out = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in closed:
            out.append(day)
        day += timedelta(days=1)
    return out
