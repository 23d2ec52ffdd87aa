"""In-process measurements with Django's test client: queries per page and render times."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url):
    """Queries one GET of ``url`` issues (the page must answer 200)."""
    client.get(url)  # warm: per-process caches (content types, translations) are not per page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)


def seconds(client, url, *, repeat=5):
    """Median wall time of ``repeat`` GETs of ``url`` after one warm-up GET."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return statistics.median(times)
