"""Opaque keyset cursors: the ordering and the last row's values, signed with SECRET_KEY,
bound to the query they were made for (a fingerprint of the resource, filters and search)."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import hashlib
import ipaddress
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time

from ..plan.query_surface import Kind, OrderKey, kind_of
from .values import to_database_datetime

SALT = "djgateway.cursor"
MAX_CURSOR_LENGTH = 4096
ANOTHER_QUERY = "was made for another query; start again without a cursor"


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times keep their microseconds: a cursor cut to
    milliseconds would skip rows created within the same millisecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            # UTC as "Z", as a plain read holds it: one cursor text whichever path read the row
            if isinstance(o, datetime.datetime) and o.tzinfo is not None:
                o = o.astimezone(datetime.UTC)
            text = o.isoformat()
            return f"{text[:-6]}Z" if text.endswith("+00:00") else text
        return super().default(o)


class _Serializer:
    """JSON that also carries dates, decimals, UUIDs and durations (as ISO strings)."""

    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":"), cls=_Encoder).encode()

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode())


def query_fingerprint(context: str, params: Mapping[str, Iterable[str]]) -> str:
    """A short, stable digest of the resource (``context``) and the filters and search of a
    list query (``params``: the query parameters that select rows, by name)."""
    selected = sorted((name, list(values)) for name, values in params.items())
    text = json.dumps([context, selected], separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode(errors="surrogatepass"), digest_size=12).hexdigest()


def encode_cursor(ordering: list[str], values: list[Any], fingerprint: str = "") -> str:
    """``fingerprint``: ``ListQuery.fingerprint``, the query the cursor is bound to."""
    payload: dict[str, Any] = {"o": ordering, "v": values}
    if fingerprint:
        payload["q"] = fingerprint
    return signing.dumps(payload, salt=SALT, serializer=_Serializer)


def decode_cursor(token: str, ordering: list[str], fingerprint: str = "") -> list[Any]:
    """The values of the row a page ends with; ``ValueError`` if forged, for another order or
    for another query (a cursor without a fingerprint too)."""
    data: Any = None
    if len(token) <= MAX_CURSOR_LENGTH:
        try:
            data = signing.loads(token, salt=SALT, serializer=_Serializer)
        except signing.BadSignature:
            data = None
    if not isinstance(data, dict) or not isinstance(data.get("v"), list):
        raise ValueError("is not a valid cursor")
    if data.get("q", "") != fingerprint:
        raise ValueError(ANOTHER_QUERY)
    if data.get("o") != ordering or len(data["v"]) != len(ordering):
        raise ValueError("was made for another order_by; start again without a cursor")
    return list(data["v"])


def cursor_value(key: OrderKey, value: Any) -> Any:
    """A decoded cursor value as the ORM takes it for ``key``; ``ValueError`` when it cannot
    be a value of that key (a cursor made for another resource), before the ORM sees it."""
    if value is None:
        if key.nullable:
            return None
    elif key.field is None:
        if key.count_of is not None and type(value) is int and value >= 0:
            return value
        if key.count_of is None:
            return value  # no field to check against (a surface without its primary key)
    else:
        field = key.field.relation.target_field if key.field.relation else key.field
        convert = _CONVERTERS.get(_value_kind(field))
        if convert is None:
            return value  # not an orderable kind: nothing to check against
        try:
            converted = convert(field.internal_type, value)
        except (ValueError, TypeError, OverflowError, ArithmeticError):
            converted = None
        if converted is not None:
            return converted
    raise ValueError(ANOTHER_QUERY)


def _value_kind(field: Any) -> Kind:
    """The kind of the stored value: a field with choices by its class."""
    return kind_of(dataclasses.replace(field, choices=None) if field.choices else field)


def _integer(internal_type: str, value: Any) -> int | None:
    # the column's range, not the API's (a row may hold 0 in an AutoField)
    bits = 16 if "Small" in internal_type else 64 if "Big" in internal_type else 32
    fits = type(value) is int and -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)
    return value if fits else None


def _decimal(internal_type: str, value: Any) -> decimal.Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    number = decimal.Decimal(str(value))
    return number if number.is_finite() else None


def _float(internal_type: str, value: Any) -> float | None:
    return float(value) if type(value) in (int, float) else None


def _text(internal_type: str, value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _boolean(internal_type: str, value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _parsed(parse: Callable[[str], Any]) -> Callable[[str, Any], Any]:
    def convert(internal_type: str, value: Any) -> Any:
        return parse(value) if isinstance(value, str) else None

    return convert


def _datetime(value: str) -> datetime.datetime | None:
    moment = parse_datetime(value)
    return None if moment is None else to_database_datetime(moment)


def _ip(value: str) -> str:
    return str(ipaddress.ip_address(value))


_CONVERTERS: dict[Kind, Callable[[str, Any], Any]] = {
    "integer": _integer,
    "decimal": _decimal,
    "float": _float,
    "text": _text,
    "boolean": _boolean,
    "date": _parsed(parse_date),
    "datetime": _parsed(_datetime),
    "time": _parsed(parse_time),
    "duration": _parsed(parse_duration),
    "uuid": _parsed(uuid.UUID),
    "ip": _parsed(_ip),
}
