"""Walk every URL pattern of the project, so that access tests cover new views by themselves.

``iter_routes()`` yields one ``Route`` per endpoint with its full namespaced name and the
path converters of all its segments; ``ObjectMap.url_for(route)`` fills the converters with
the ids of real objects, chosen by the kwarg's name and the URL name (``session_pk`` → the
session, ``pk`` in ``visits:activity_edit`` → the activity, anything else → the agreement).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass
class Route:
    name: str | None  # "visits:session_detail"; None for unnamed patterns
    namespace: str  # "visits"; "" for the root urlconf
    route: str  # the pattern text, for messages and unnamed patterns
    callback: object
    converters: dict = field(default_factory=dict)  # kwarg name → converter (None for regex)
    default_kwargs: dict = field(default_factory=dict)

    @property
    def view_path(self) -> str:
        func = getattr(self.callback, "view_class", None) or self.callback
        return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', func)}"

    def __str__(self):
        return self.name or self.route


def _segment_converters(pattern) -> tuple[str, dict]:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route), dict(pattern.converters)
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex
        compiled = re.compile(regex)
        named = {name: None for name in compiled.groupindex}
        # Unnamed groups (simple_history's admin URLs) are passed positionally.
        positional = {f"_pos{i}": None for i in range(compiled.groups - len(named))}
        return regex, {**named, **positional}
    return str(pattern), {}


def iter_routes(patterns=None, namespace: str = "", prefix: str = "", converters=None):
    if patterns is None:
        patterns = get_resolver().url_patterns
    converters = converters or {}
    for entry in patterns:
        text, segment = _segment_converters(entry.pattern)
        merged = {**converters, **segment}
        if isinstance(entry, URLResolver):
            inner_ns = namespace
            if entry.namespace:
                inner_ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_routes(entry.url_patterns, inner_ns, prefix + text, merged)
        elif isinstance(entry, URLPattern):
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                name=name,
                namespace=namespace,
                route=prefix + text,
                callback=entry.callback,
                converters=merged,
                default_kwargs=dict(entry.default_args or {}),
            )


def all_routes() -> list[Route]:
    return list(iter_routes())


# Values for kwargs that are not object ids.
_PLAIN_VALUES = {
    "year": 2019,
    "month": 5,
    "week": 19,
    "day": "2019-05-06",
    "date": "2019-05-06",
    "app_label": "partnership",
    "url": "no-such-page/",
    "token": "not-the-right-token-0000000000",
    "format": "csv",
    "fmt": "csv",
    "kind": "interim",
    "lang": "sv",
}


class ObjectMap:
    """Real objects by short name ("agreement", "session", "report", …) for filling URLs."""

    def __init__(self, objects: dict):
        self.objects = {k: v for k, v in objects.items() if v is not None}

    def _singular(self, word: str) -> str | None:
        word = word.replace("-", "_")
        for candidate in (word, word[:-1] if word.endswith("s") else None, word[:-3] + "y"):
            if candidate and candidate in self.objects:
                return candidate
        return None

    def _key_for(self, route: Route, kwarg: str) -> str | None:
        base = re.sub(r"_(pk|id)$", "", kwarg)
        if base not in ("pk", "id", "object_id") and base in self.objects:
            return base
        # The path segment before the converter names the object: "agreement/<int:pk>/",
        # "reports/<int:pk>/", "version/<int:pk>/pdf/".
        before = re.search(rf"([\w-]+)/(<(\w+:)?{kwarg}>|\(\?P<{kwarg}>)", route.route)
        if before and (key := self._singular(before.group(1))):
            return key
        # "pk": the object named in the URL name, longest name first (budget_line before line).
        url_name = (route.name or "").split(":")[-1]
        for key in sorted(self.objects, key=len, reverse=True):
            if re.search(rf"(^|_){re.escape(key)}(_|$)", url_name):
                return key
        app = route.namespace.split(":")[-1]
        for key in sorted(self.objects, key=len, reverse=True):
            if key == app or f"{key}s" == app:
                return key
        return "agreement" if "agreement" in self.objects else None

    def value_for(self, route: Route, kwarg: str, converter):
        if kwarg in _PLAIN_VALUES and kwarg not in self.objects:
            return _PLAIN_VALUES[kwarg]
        if isinstance(converter, UUIDConverter):
            return uuid.UUID(int=1)
        key = self._key_for(route, kwarg)
        obj = self.objects.get(key)
        if obj is None:
            return 1 if isinstance(converter, IntConverter) else "x"
        if isinstance(converter, (IntConverter, PathConverter)) or converter is None:
            return obj.pk
        if isinstance(converter, SlugConverter):
            return getattr(obj, "slug", obj.pk)
        return obj.pk

    def kwargs_for(self, route: Route) -> dict:
        return {
            name: self.value_for(route, name, conv)
            for name, conv in route.converters.items()
            if name not in route.default_kwargs and not name.startswith("_pos")
        }

    def url_for(self, route: Route) -> str | None:
        kwargs = self.kwargs_for(route)
        positional = [1 for name in route.converters if name.startswith("_pos")]
        if route.name:
            if positional and not kwargs:
                return reverse(route.name, args=positional)
            return reverse(route.name, kwargs=kwargs)
        url = route.route
        for name, value in kwargs.items():
            url = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), url)  # re_path("(?P<pk>…)")
            url = re.sub(rf"<(\w+:)?{name}>", str(value), url)  # path("<int:pk>/")
        url = url.replace("^", "").replace("$", "")
        if re.search(r"[()\\\[\]*+?<>]", url):
            return None  # a pattern this walker cannot fill: the test reports it
        return "/" + url
