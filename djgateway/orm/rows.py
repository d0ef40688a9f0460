"""Rows read straight into JSON-ready values, for read schemas that allow it.

Through ``values()`` and a read schema, every SQLite datetime is parsed into a ``datetime``,
validated, and written back as nearly the same text; UUIDs and dates make the same round
trip. For the fields whose JSON pydantic writes exactly as pydantic-core writes the plain
value (numbers, decimals, text, booleans, dates, datetimes, UUIDs), one small decoder per
column and database turns what the driver returns into that JSON value, and the page is
encoded once. A schema with any other field (durations, bytes, JSON, times, custom
serializers) keeps the model path; ``tests/integration/test_plain_reads.py`` and the
differential oracle hold the two paths equal.
"""

from __future__ import annotations

import datetime
import decimal
import re
import sqlite3
import types
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model, QuerySet
from django.db.models.sql.constants import CURSOR
from django.utils.dateparse import parse_date, parse_datetime
from pydantic import BaseModel, PlainSerializer, WrapSerializer

Decoder = Callable[[Any], Any]
Decoders = list[tuple[int, Decoder]]
Quote = Callable[[str], str]
# Decimals too: Django's converter (SQLite) or the driver (PostgreSQL) gives the ``Decimal``
# the model path would validate, and pydantic-core writes it the same way in both paths.
PLAIN_TYPES = (int, str, bool, float, datetime.datetime, datetime.date, uuid.UUID, decimal.Decimal)
# The text Django writes (pydantic leaves out a zero fraction, so ".000000" is not canonical).
CANONICAL_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.(?!0{6})[0-9]{6})?"
)
CANONICAL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def plain_keys(
    schema: type[BaseModel], model: type[Model], *, datetimes: bool = True
) -> frozenset[str]:
    """The fields of ``schema`` that may skip the model: their JSON is the plain value's,
    and the column is a built-in one (a custom field's ``from_db_value`` may return anything).
    ``datetimes=False``: datetime columns keep the model path (plan/read_path.py)."""
    decorators = schema.__pydantic_decorators__
    config = schema.model_config
    if (
        decorators.model_serializers
        or decorators.computed_fields
        or config.get("serialize_by_alias")
        or config.get("ser_json_inf_nan", "null") != "null"
        or config.get("json_encoders")
    ):
        return frozenset()
    return frozenset(
        key
        for key, info in schema.model_fields.items()
        if key not in _serialized_fields(schema)
        and not info.exclude
        and info.serialization_alias is None
        and not _has_serializer(info.metadata)
        and _is_plain(info.annotation)
        and _builtin_column(model, key)
        and (datetimes or _column_type(model, key) != "DateTimeField")
    )


def _column_type(model: type[Model], key: str) -> str:
    field: Any = model._meta.get_field(key)
    while field.is_relation and getattr(field, "target_field", None) is not None:
        field = field.target_field
    return str(field.get_internal_type())


def _builtin_column(model: type[Model], key: str) -> bool:
    try:
        field: Any = model._meta.get_field(key)
    except FieldDoesNotExist:
        return False
    while field.is_relation and getattr(field, "target_field", None) is not None:
        if hasattr(field, "from_db_value"):
            return False
        field = field.target_field
    return not hasattr(field, "from_db_value")


def _has_serializer(metadata: Iterable[Any]) -> bool:
    return any(isinstance(item, PlainSerializer | WrapSerializer) for item in metadata)


def _serialized_fields(schema: type[BaseModel]) -> set[str]:
    return {
        name
        for decorator in schema.__pydantic_decorators__.field_serializers.values()
        for name in decorator.info.fields
    }


def _is_plain(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:  # nested in Optional[...] or list[...]
        inner, *metadata = get_args(annotation)
        return not _has_serializer(metadata) and _is_plain(inner)
    if origin in (Union, types.UnionType):
        return all(arg is type(None) or _is_plain(arg) for arg in get_args(annotation))
    if origin is Literal:
        return all(type(arg) in (str, int, bool) for arg in get_args(annotation))
    if origin is list:  # many-to-many ids
        (item,) = get_args(annotation) or (Any,)
        return _is_plain(item)
    if origin is not None:  # other generics
        return False
    return annotation in PLAIN_TYPES


def fetch(queryset: QuerySet[Any]) -> list[dict[str, Any]]:
    """``list(queryset)`` for a ``values()`` queryset, with JSON-ready values."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    cursor = compiler.execute_sql(CURSOR)
    if cursor is None:  # the filters match nothing by construction (``pk__in=[]``)
        return []
    try:
        records = cursor.fetchall()
    finally:
        cursor.close()
    names = result_names(query)
    expressions = [column[0] for column in compiler.select[: len(names)]]
    return decoded_rows(names, records, column_decoders(compiler, expressions) or ())


def decoded_rows(
    names: Sequence[str], records: Iterable[Sequence[Any]], decoders: Iterable[tuple[int, Decoder]]
) -> list[dict[str, Any]]:
    """Rows as dicts keyed by ``names``, each decoder applied to its column (column by
    column: one tight loop per decoder, not one call chain per value)."""
    rows = [dict(zip(names, record, strict=False)) for record in records]
    for index, decode in decoders:
        name = names[index]
        for row in rows:
            row[name] = decode(row[name])
    return rows


def result_names(query: Any) -> list[str]:
    """The keys of a ``values()`` row, in column order (as Django's ``ValuesIterable``)."""
    if query.selected:
        return list(query.selected)
    return [*query.extra_select, *query.values_select, *query.annotation_select]


def column_decoders(
    compiler: Any, expressions: list[Any], *, plain_only: bool = False
) -> list[tuple[int, Decoder]] | None:
    """One decoder per column that needs one: ours where we know the column, else Django's;
    ``plain_only``: ``None`` instead when a column needs Django's."""
    connection = compiler.connection
    django_converters = compiler.get_converters(expressions)
    decoders: list[tuple[int, Decoder]] = []
    for index, expression in enumerate(expressions):
        ours = _plain_decoder(connection.vendor, getattr(expression, "output_field", None))
        if ours is not None:
            decoders.append((index, ours))
        elif index in django_converters:
            if plain_only:
                return None
            converters, source = django_converters[index]
            decoders.append((index, django_decoder(converters, source, connection)))
    return decoders


def django_decoder(converters: Iterable[Any], expression: Any, connection: Any) -> Decoder:
    chain = list(converters)

    def decode(value: Any) -> Any:
        for converter in chain:
            value = converter(value, expression, connection)
        return value

    return decode


def _plain_decoder(vendor: str, field: Field[Any, Any] | None) -> Decoder | None:
    """A decoder that replaces Django's for a built-in column type on SQLite."""
    if vendor != "sqlite" or field is None:
        return None
    target: Any = field
    while getattr(target, "target_field", None) is not None and target.is_relation:
        target = target.target_field  # a foreign key is stored as its target's key
    if hasattr(target, "from_db_value") or hasattr(field, "from_db_value"):
        return None  # a custom field decodes itself
    internal_type = target.get_internal_type()
    if internal_type == "DateTimeField":
        return _sqlite_datetime if settings.USE_TZ else _sqlite_naive_datetime
    return SQLITE_DECODERS.get(internal_type)


def _sqlite_datetime(value: Any) -> Any:
    # Django's sqlite3 converters hand over naive datetimes in UTC; "Z" is how pydantic
    # writes the same instant.
    if isinstance(value, datetime.datetime):  # aware when the stored text has an offset
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return f"{value.isoformat()}Z"
    if isinstance(value, str):  # the stored text (see as_text)
        if CANONICAL_DATETIME.fullmatch(value):
            return f"{value[:10]}T{value[11:]}Z"
        parsed = parse_datetime(value)  # what Django's converter reads, in UTC as the schema
        if parsed is None:
            return value
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
        return f"{parsed.isoformat()}Z"
    return value


def _sqlite_text_date(value: Any) -> Any:
    """A date read as its stored text: canonical text is its JSON; other text that Django
    reads as a date (``2026-3-1``) is written as pydantic writes that date."""
    if not isinstance(value, str) or CANONICAL_DATE.fullmatch(value):
        return value
    parsed = parse_date(value)
    return value if parsed is None else parsed.isoformat()


def _sqlite_naive_datetime(value: Any) -> Any:  # USE_TZ = False: local times, no zone
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _sqlite_date(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _sqlite_uuid(value: Any) -> Any:
    # as Django's converter: any text uuid.UUID accepts, written lower-case with dashes
    return value if value is None else str(uuid.UUID(str(value)))


def _sqlite_boolean(value: Any) -> Any:
    return value if value is None else bool(value)


# Columns aliased "name [djgateway_text]" reach Python as the stored text: sqlite3 picks a
# converter by column name before the declared type (Django connects with PARSE_COLNAMES).
TEXT_MARK = "djgateway_text"
sqlite3.register_converter(TEXT_MARK, bytes.decode)


def as_text(
    sql: str, names: Sequence[str], decoders: Decoders, quote: Quote
) -> tuple[str, Decoders]:
    """SQLite: read date and datetime columns as their stored text, skipping Django's parsing
    (the values come back as the same text). Only aliases found exactly once are renamed."""
    kept: Decoders = []
    for index, decode in decoders:
        if decode not in (_sqlite_datetime, _sqlite_date):
            kept.append((index, decode))
            continue
        alias = f" AS {quote(names[index])}"
        if sql.count(alias) != 1:
            kept.append((index, decode))
            continue
        sql = sql.replace(alias, f" AS {quote(f'{names[index]} [{TEXT_MARK}]')}")
        kept.append((index, decode if decode is _sqlite_datetime else _sqlite_text_date))
    return sql, kept


SQLITE_DECODERS: dict[str, Decoder] = {
    "DateField": _sqlite_date,
    "UUIDField": _sqlite_uuid,
    "BooleanField": _sqlite_boolean,
    "NullBooleanField": _sqlite_boolean,
}
