"""Read statements compiled once and run again with new values.

Building and compiling a queryset costs more than running it: for a retrieve by primary key
about two thirds of the ORM time. A ``Statement`` is the SQL of one query shape (a retrieve,
a page with its filters, a parent check, a row lock), compiled with stand-in values for the
keys and filter values; each run puts the real values where the stand-ins were found,
prepared as Django prepares them (inside the LIKE pattern for ``icontains`` and friends), and
decodes the columns as ``rows.fetch`` does. A query whose stand-ins cannot all be found
exactly once is not reused.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.models import Field, QuerySet

from .rows import (
    Decoder,
    as_text,
    column_decoders,
    decoded_rows,
    django_decoder,
    result_names,
)

KeyFields = Mapping[str, "Field[Any, Any]"]


@dataclass(frozen=True)
class Slot:
    """Where a key's value goes: the parameter itself, or inside a LIKE pattern."""

    index: int
    key: str
    field: Field[Any, Any]
    pattern: tuple[str, str] | None = None  # ("%", "%") for icontains, ("", "%") ...

    def fill(self, value: Any, connection: Any) -> Any:
        prepared = _prepared(self.field, value, connection)
        if self.pattern is None:
            return prepared
        before, after = self.pattern  # what Django's pattern lookups do with a plain value
        return f"{before}{connection.ops.prep_for_like_query(prepared)}{after}"


@dataclass(frozen=True)
class Statement:
    alias: str
    sql: str
    params: tuple[Any, ...]
    slots: tuple[Slot, ...]
    names: tuple[str, ...]
    decoders: tuple[tuple[int, Decoder], ...]  # JSON-ready values (rows.py)
    expressions: tuple[Any, ...] = ()  # python values instead: Django's converters, per run

    def run(self, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        connection = connections[self.alias]
        params = list(self.params)
        for slot in self.slots:
            params[slot.index] = slot.fill(values[slot.key], connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            records = cursor.fetchall()
        decoders = self._python_decoders(connection) if self.expressions else self.decoders
        return decoded_rows(self.names, records, decoders)

    def _python_decoders(self, connection: Any) -> list[tuple[int, Decoder]]:
        """Django's converters, asked of this thread's connection (as ``get_converters``)."""
        decoders = []
        for index, expression in enumerate(self.expressions):
            chain = connection.ops.get_db_converters(expression)
            chain += expression.get_db_converters(connection)
            if chain:
                decoders.append((index, django_decoder(chain, expression, connection)))
        return decoders


class StatementCache:
    """Compiled statements by query shape, the ``size`` most recently used kept.

    Every access holds the lock (no reliance on the GIL: free-threaded CPython exists);
    compiling happens outside it, so two threads may compile one shape, with the same result.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Statement | None] = OrderedDict()

    def get(self, shape: Hashable, compile_: Callable[[], Statement | None]) -> Statement | None:
        with self._lock:
            if shape in self._entries:
                self._entries.move_to_end(shape)
                return self._entries[shape]
        statement = compile_()
        with self._lock:
            self._entries[shape] = statement
            self._entries.move_to_end(shape)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return statement

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[Statement | None]:
        with self._lock:
            return iter(list(self._entries.values()))


def prepare(
    build: Callable[[Mapping[str, Any]], QuerySet[Any]], keys: KeyFields, *, python: bool = False
) -> Statement | None:
    """Compile ``build(stand-ins)`` once, or ``None`` when the query cannot be reused safely:
    a stand-in not found exactly once among the parameters, or (for JSON-ready values) a
    column that needs one of Django's own converters, which are bound to the connection of
    one thread. ``python``: rows of python values, as ``values()`` gives them."""
    stand_ins = {key: stand_in_for(field, index) for index, (key, field) in enumerate(keys.items())}
    if None in stand_ins.values():
        return None
    queryset = build(stand_ins)
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):
        return None
    names = result_names(query)
    expressions = [column[0] for column in compiler.select[: len(names)]]
    decoders = [] if python else column_decoders(compiler, expressions, plain_only=True)
    if decoders is None:
        return None
    if decoders and compiler.connection.vendor == "sqlite":
        sql, decoders = as_text(sql, names, decoders, compiler.connection.ops.quote_name)
    slots = []
    for key, stand_in in stand_ins.items():
        slot = _find(params, key, keys[key], _prepared(keys[key], stand_in, compiler.connection))
        if slot is None:
            return None
        slots.append(slot)
    return Statement(
        alias=queryset.db,
        sql=sql,
        params=tuple(params),
        slots=tuple(slots),
        names=tuple(names),
        decoders=tuple(decoders),
        expressions=tuple(expressions) if python else (),
    )


def _find(params: Sequence[Any], key: str, field: Field[Any, Any], value: Any) -> Slot | None:
    """The one parameter that is the stand-in (or a LIKE pattern around it), else None."""
    equal = [index for index, param in enumerate(params) if _same(param, value)]
    if equal:
        return Slot(equal[0], key, field) if len(equal) == 1 else None
    if not isinstance(value, str):
        return None
    around = [(i, p) for i, p in enumerate(params) if isinstance(p, str) and value in p]
    if len(around) != 1:
        return None
    index, param = around[0]
    before, _, after = param.partition(value)
    if before not in ("", "%") or after not in ("", "%"):
        return None
    return Slot(index, key, field, (before, after))


def stand_in_for(field: Field[Any, Any], index: int) -> Any:
    """A value of the key's type that no real parameter of the query will equal, or
    ``None`` for a type without one (booleans, decimals: that query is not reused)."""
    target: Any = field
    while target.is_relation and getattr(target, "target_field", None) is not None:
        target = target.target_field
    internal_type = target.get_internal_type()
    if internal_type.endswith(("IntegerField", "AutoField")):
        return 1_987_654_321 - 7 * index
    make = STAND_INS.get(internal_type)
    return make(index) if make else None


def _stand_in_datetime(index: int) -> datetime.datetime:
    # aware with USE_TZ, naive without, as the values the query parser gives
    zone = datetime.UTC if settings.USE_TZ else None
    return datetime.datetime(1901, 2, 3, 4, 5, 6, 7 + index, zone)


def _text(index: int) -> str:
    return f"djgateway-stand-in-{uuid.uuid4().hex}"


STAND_INS: dict[str, Callable[[int], Any]] = {
    "UUIDField": lambda index: uuid.uuid4(),
    "DateField": lambda index: datetime.date(1901, 2, 3) + datetime.timedelta(days=index),
    "DateTimeField": _stand_in_datetime,
    **dict.fromkeys(
        ("CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField"), _text
    ),
}


def _prepared(field: Field[Any, Any], value: Any, connection: Any) -> Any:
    # What an exact lookup does: get_prep_value, then get_db_prep_value(prepared=True).
    return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)


def _same(param: Any, value: Any) -> bool:
    return type(param) is type(value) and param == value
