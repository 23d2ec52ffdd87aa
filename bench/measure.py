"""In-process measurements with Django's test client: queries per page and render times.

A page is requested by GET, or with ``data`` by POST of it as htmx sends it (a tally tap)."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _request(client, url, data):
    if data is None:
        response = client.get(url)
    else:
        response = client.post(url, data, headers={"HX-Request": "true"})
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def count_queries(client, url, *, data=None):
    """Queries one request of ``url`` issues (the page must answer 200)."""
    _request(client, url, data)  # warm: per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        _request(client, url, data)
    return len(queries)


def seconds(client, url, *, data=None, repeat=5, before=None):
    """Median wall time of ``repeat`` requests of ``url`` after one warm-up request;
    ``before``, if given, is called before each request, off the clock."""
    return seconds_in_turn((client, url, data), repeat=repeat, before=before)[0]


def seconds_in_turn(*requests, repeat=5, before=None):
    """Median wall time of each of ``requests`` (``(client, url, data)``) over ``repeat``
    rounds, after one warm-up each. They take turns within a round, so that a slow spell of a
    shared machine slows all of them alike and their ratios hold. ``before``, if given, is
    called before each request, off the clock."""
    for request in requests:
        _request(*request)
    times = [[] for _ in requests]
    for _ in range(repeat):
        for request, spent in zip(requests, times, strict=True):
            if before is not None:
                before()
            t0 = time.perf_counter()
            _request(*request)
            spent.append(time.perf_counter() - t0)
    return [statistics.median(spent) for spent in times]


def machine_seconds(repeat=3):
    """Median CPU seconds of a fixed piece of pure Python (three million multiplications):
    how fast this machine is at this moment. The absolute figures, such as the PDF's, move
    with it; on the development machine it takes 0.22 s when the machine is quiet and up to
    0.4 s in a slow spell (docs/benchmark.md)."""
    spent = []
    for _ in range(repeat):
        c0, total = time.process_time(), 0
        for i in range(3_000_000):
            total += i * i % 7
        spent.append(time.process_time() - c0)
    return statistics.median(spent)
