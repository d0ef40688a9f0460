"""Parse one query-string value for a field and an operator (``ValueError`` on bad input)."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import math
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_duration

from ..introspect import FieldInfo
from ..plan.query_surface import Kind, kind_of
from ..schemas.fields import INT64, INTEGER_RANGES
from ..schemas.formats import FILTER_DURATION

MAX_LIST_ITEMS = 100
MAX_TEXT_LENGTH = 1000
DATE_PART_RANGES = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}
TRUE, FALSE = frozenset({"true", "1"}), frozenset({"false", "0"})


def parse_filter_value(info: FieldInfo, operator: str, raw: list[str]) -> Any:
    if operator == "in":
        items = [item for value in raw for item in value.split(",")]
        if len(items) > MAX_LIST_ITEMS:
            raise ValueError(f"at most {MAX_LIST_ITEMS} values are allowed")
        return [parse_value(info, item) for item in items]
    if len(raw) > 1:
        raise ValueError("was given more than once")
    (value,) = raw
    if operator == "isnull":
        return parse_boolean(value)
    if operator in DATE_PART_RANGES:
        return parse_integer(value, *DATE_PART_RANGES[operator])
    if operator == "date":
        return _parse_date(value)
    return parse_value(info, value)


def parse_value(info: FieldInfo, value: str) -> Any:
    kind = kind_of(info)
    if kind == "choice":
        return _parse_choice(info, value)
    if kind == "integer":
        key = info.relation.target_field if info.relation else info
        return parse_integer(value, *INTEGER_RANGES.get(key.internal_type, INT64))
    return _PARSERS[kind](value)


def parse_integer(value: str, low: int, high: int) -> int:
    try:
        number = int(value.strip(), 10) if len(value) <= 25 else None
    except ValueError:
        number = None
    if number is None:
        raise ValueError(f"{value!r} is not an integer")
    if not low <= number <= high:
        raise ValueError(f"{number} is out of range ({low}..{high})")
    return number


def parse_boolean(value: str) -> bool:
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ValueError(f"{value!r} is not a boolean (use true or false)")


def _parse_choice(info: FieldInfo, value: str) -> Any:
    for choice, _label in info.choices or ():
        if str(choice) == value:
            return choice
    allowed = ", ".join(str(choice) for choice, _label in info.choices or ())
    raise ValueError(f"{value!r} is not one of: {allowed}")


def _parse_text(value: str) -> str:
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueError(f"is longer than {MAX_TEXT_LENGTH} characters")
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _parse_decimal(value: str) -> decimal.Decimal:
    try:
        number = decimal.Decimal(value) if len(value) <= 50 else None
    except decimal.InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"{value!r} is not a decimal number")
    return number


def _parse_float(value: str) -> float:
    try:
        number = float(value) if len(value) <= 50 else None
    except ValueError:
        number = None
    if number is None or not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _iso(kind: str, parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parser(value: str) -> Any:
        try:
            return parse(value)
        except (ValueError, OverflowError):  # overflow: "0001-01-01T00:00+01:00" in UTC
            raise ValueError(f"{value!r} is not an ISO 8601 {kind}") from None

    return parser


def _aware(value: str) -> datetime.datetime:
    return to_database_datetime(datetime.datetime.fromisoformat(value))


def to_database_datetime(moment: datetime.datetime) -> datetime.datetime:
    """A client's date-time as the ORM takes it: in UTC with ``USE_TZ`` (a naive one read as
    UTC), naive in the default time zone without it (the database refuses aware ones)."""
    if not settings.USE_TZ:
        return timezone.make_naive(moment) if timezone.is_aware(moment) else moment
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)  # PostgreSQL refuses offsets beyond ±15:59


def _naive_time(value: str) -> datetime.time:
    moment = datetime.time.fromisoformat(value)
    if moment.tzinfo is not None:
        raise ValueError(value)  # time columns have no zone
    return moment


def _ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 address") from None


def _duration(value: str) -> datetime.timedelta:
    # ISO 8601 only, as documented ("P1DT2H"); Django alone would also take "0.5" or "1:00"
    parsed = parse_duration(value) if re.fullmatch(FILTER_DURATION, value) else None
    if parsed is None:
        raise ValueError(value)
    return parsed


_parse_date = _iso("date", datetime.date.fromisoformat)

_PARSERS: dict[Kind, Callable[[str], Any]] = {
    "text": _parse_text,
    "decimal": _parse_decimal,
    "float": _parse_float,
    "boolean": parse_boolean,
    "date": _parse_date,
    "datetime": _iso("date-time", _aware),
    "time": _iso("time without a zone", _naive_time),
    "duration": _iso("duration", _duration),
    "uuid": _iso("UUID", uuid.UUID),
    "ip": _ip,
}
