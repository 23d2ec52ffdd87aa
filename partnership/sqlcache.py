"""Querysets whose SQL is built once per process and then only run.

Building a queryset and compiling it to SQL is pure Python that Django repeats for every
evaluation: 0.4–1.1 ms for each of the queries that every page runs (the session, the user
with organisation and roles, the agreement with the user's parties) and for those of the
pages under load (dashboard, sessions list, tally). On the sessions list that was about a
third of the server's time (a sampling profile; ``manage.py benchmark`` and the README have
the figures). ``CompiledQuery`` builds and compiles a queryset once per process and database,
with marker values in place of its parameters, and afterwards runs the same SQL with the
caller's values. The rows go through Django's own iterable (model instances,
``select_related``, annotations, ``values()``), so the result is what the queryset gives.

Only the parameters of the query may change from call to call, never its shape: a queryset
whose SQL text depends on a value (slicing, an ``in`` list, a filter added only sometimes)
is refused when it is first compiled. The SQL is the queryset's own, so a migration that
renames a column is followed after a restart, as with any code change.

The cache rests on three attributes of Django's SQL compiler (``as_sql``, ``connection``
and what ``as_sql`` leaves behind for reading the rows); ``tests/test_sqlcache.py`` compares
every compiled query of the project with its plain queryset, so a Django upgrade that
changes them fails there.
"""

import copy
import datetime
import functools

from django.db import connections, router
from django.db.models import Value

_INT64 = (-(2**63), 2**63 - 1)


def _marker(kind, set_number, index):
    """A value of ``kind`` that stands for parameter ``index``; two sets differ everywhere."""
    if kind is int:
        # Within the range of every integer column, a small one too: Django turns an
        # out-of-range value into an empty result without SQL.
        return 31_000 + 100 * set_number + index
    if kind is str:
        return f"\x1fsqlcache-{set_number}-{index}\x1f"
    if kind is datetime.datetime:
        return datetime.datetime(1900 + set_number, 1, 1 + index, tzinfo=datetime.UTC)
    if kind is datetime.date:
        return datetime.date(1900 + set_number, 1, 1 + index)
    raise TypeError(f"CompiledQuery cannot take a parameter of type {kind!r}")


def _adapter(kind, connection):
    """How a value of ``kind`` becomes a query parameter, as the ORM would pass it."""
    if kind is datetime.datetime:
        return functools.partial(_checked, kind, connection.ops.adapt_datetimefield_value)
    if kind is datetime.date:
        return functools.partial(_checked, kind, connection.ops.adapt_datefield_value)
    return kind  # int("7") is 7, as the ORM's field would make it


def _checked(kind, adapt, value):
    # A date field would turn a datetime into a date in the current time zone, and a string
    # into a date: this cache does not, so it takes exactly a date, or a datetime.
    is_datetime = isinstance(value, datetime.datetime)
    if not isinstance(value, kind) or is_datetime != (kind is datetime.datetime):
        raise TypeError(f"expected a {kind.__name__}, got {value!r}")
    return adapt(value)


class CompiledQuery:
    """A queryset built by ``build(*values)``, compiled once per database and then run with
    new ``values``: ``CompiledQuery(build, int, str)`` and later ``query(7, "key")`` gives
    ``list(build(7, "key"))``. Each value's type is one of int, str, date or datetime; an int
    is a key or a number compared for equality, and one beyond 64 bits finds no rows."""

    def __init__(self, build, *kinds):
        for index, kind in enumerate(kinds):
            _marker(kind, 1, index)  # refuses a type it cannot stand in for
        self._build = build
        self._kinds = kinds
        self._model = None
        self._compiled = {}  # database alias -> _Compiled

    def __call__(self, *values):
        if len(values) != len(self._kinds):
            raise TypeError(f"expected {len(self._kinds)} values, got {len(values)}")
        if self._model is None:
            self._model = self._build(*self._markers(1)).model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias) or self._compile(alias)
        if any(
            kind is int and not _INT64[0] <= int(value) <= _INT64[1]
            for kind, value in zip(self._kinds, values, strict=True)
        ):
            return []  # no row has such a key; the ORM answers so too, without SQL
        queryset, compiler = compiled.bind(values)
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    def _markers(self, set_number):
        return [_marker(kind, set_number, i) for i, kind in enumerate(self._kinds)]

    def _compile(self, alias):
        connection = connections[alias]
        first, second = self._markers(1), self._markers(2)
        queryset = self._build(*first).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        other_sql, other_params = (
            self._build(*second).using(alias).query.get_compiler(using=alias).as_sql()
        )
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(
                "CompiledQuery: the SQL depends on the values, not only its parameters"
            )
        adapters = [_adapter(kind, connection) for kind in self._kinds]
        adapted = [adapt(marker) for adapt, marker in zip(adapters, first, strict=True)]
        slots = []
        for position, (a, b) in enumerate(zip(params, other_params, strict=True)):
            if a == b:
                continue
            if a not in adapted:
                raise ValueError(
                    f"CompiledQuery: parameter {position} is made from a value "
                    f"({a!r}), not the value itself"
                )
            slots.append((position, adapted.index(a)))
        compiled = _Compiled(queryset, compiler, sql, list(params), slots, adapters, alias)
        self._compiled[alias] = compiled
        return compiled


class _Compiled:
    def __init__(self, queryset, compiler, sql, params, slots, adapters, alias):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.slots = slots
        self.adapters = adapters
        self.alias = alias

    def bind(self, values):
        """A fresh queryset and a compiler that answers ``as_sql`` with the cached SQL and
        ``values`` in place of the markers."""
        params = list(self.params)
        for position, index in self.slots:
            params[position] = self.adapters[index](values[index])
        sql, params = self.sql, tuple(params)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.alias]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return self.queryset._chain(), compiler


def one_row(qs):
    """``qs`` as one row of the aggregates annotated next (aggregates without GROUP BY, one
    row also when nothing matches): ``QuerySet.aggregate()`` runs at once and cannot be
    compiled, this queryset can. The row also holds ``all`` (1)."""
    return qs.order_by().annotate(all=Value(1)).values("all")
