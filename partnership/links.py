"""Links for the rows of long lists at the cost of one ``reverse()`` per URL name.

A ``{% url %}`` tag per row and link costs about 45 µs; a page of 50 sessions with three
links each spent a quarter of its time there. ``row_links`` reverses each URL name once with
a marker in place of the primary key and fills in each row's key, which gives the same URL
as ``reverse(name, args=[pk])`` for URL patterns whose only argument is an ``<int:pk>``.
The reversed pattern is kept per process (for the URL conf and script prefix in use): the
agreement tabs alone reversed ten names on every page.
"""

import functools
from html import escape

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = 918273645546372819


def served_at():
    """What a reversed URL depends on besides its name: the script prefix and URL conf in
    use (a key for anything built from URLs and kept)."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@functools.lru_cache(maxsize=512)
def _pattern(name, script_prefix, urlconf):
    return reverse(name, args=[_MARKER], urlconf=urlconf)


def _filled(pattern):
    marker = str(_MARKER)
    return lambda pk: pattern.replace(marker, str(int(pk)))


def url_for_pk(name):
    """A function ``pk → reverse(name, args=[pk])`` that reverses ``name`` only once."""
    return _filled(_pattern(name, *served_at()))


def escaped_url_for_pk(name):
    """As ``url_for_pk``, the URL escaped for HTML (``html.escape``): the pattern is escaped
    once, the key is digits."""
    return _filled(escape(_pattern(name, *served_at())))


def row_links(objects, **url_names):
    """Set ``obj.links`` on each of ``objects`` to ``{key: URL}``, one entry per keyword
    (``tally="visits:tally"``), each URL taking the object's primary key. Returns the
    objects as a list."""
    urls = {key: url_for_pk(name) for key, name in url_names.items()}
    objects = list(objects)
    for obj in objects:
        obj.links = {key: url(obj.pk) for key, url in urls.items()}
    return objects
