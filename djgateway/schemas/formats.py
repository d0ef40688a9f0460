"""What Django accepts, written as JSON Schema, so that a schema-valid value is a storable one.

JSON Schema formats are wider than Django's validators ("0@0.a" is an "email", Django wants a
top-level domain), or do not fit Django's fields ("time" needs a zone, a TimeField has none).
Patterns here describe a subset of both; the validators in ``fields`` enforce them.

A schema carries ``examples`` where its pattern would otherwise make documentation tools show
a random string matching it (Swagger UI's "Example Value").
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import re
from collections.abc import Callable
from typing import Any

from pydantic_core import PydanticCustomError

#: Any text without NUL, which PostgreSQL cannot store. Bodies refuse NUL without publishing
#: it (``fields.reject_nul``): every text would show a random "example" of this pattern.
NO_NUL = r"^[^\x00]*$"
#: RFC 3339 ``partial-time``: a TimeField holds no time zone.
NAIVE_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$"

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"({_LABEL}\.)+[A-Za-z]{{2,63}}"
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
#: Dot-atom at a host name with a top-level domain (Django's EmailValidator accepts it).
EMAIL = rf"^{_ATOM}(\.{_ATOM})*@{_HOST}$"
_URL_CHAR = r"([A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})"
#: http(s) at a host name, with an optional port, path and query (Django's URLValidator
#: accepts it).
WEB_URL = rf"^https?://{_HOST}(:[0-9]{{1,4}})?(/{_URL_CHAR}*)?(\?({_URL_CHAR}|\?)*)?$"
#: What ``iso_duration`` writes: days and a time part, seconds with a fraction, maybe signed.
DURATION = r"^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]{1,6})?S)?)?$"
#: What a filter takes: a DURATION bounded so that it fits a timedelta (999,999,999 days);
#: beyond it, a documented value got a 400 (found by the stateful fuzzer).
FILTER_DURATION = (
    r"^-?P([0-9]{1,8}D)?(T([0-9]{1,8}H)?([0-9]{1,9}M)?([0-9]{1,10}(\.[0-9]{1,6})?S)?)?$"
)

#: Examples of formatted text (documentation addresses and names: RFC 2606, 5737, 3849).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "email": ("jane.doe@example.com",),
    "uri": ("https://www.example.com/",),
    "ip": ("192.0.2.10", "2001:db8::10"),
    "time": ("09:30:00",),
    "duration": ("P1DT2H30M",),
    "slug": ("summer-sale", "sale"),
    "phone": ("+12015550123",),
}


def fitting(
    examples: tuple[str, ...], max_length: int | None, pattern: str | None = None
) -> list[str]:
    """The ``examples`` a text of at most ``max_length`` characters matching ``pattern`` may be."""
    compiled = re.compile(pattern) if pattern else None
    return [
        example
        for example in examples
        if (max_length is None or len(example) <= max_length)
        and (compiled is None or compiled.match(example))
    ]


def text_matching(pattern: str, message: str) -> Callable[[Any], Any]:
    """A validator refusing text that does not match ``pattern`` (other values pass)."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, str) and not compiled.match(value):
            raise PydanticCustomError("invalid", message)
        return value

    return check


def email_local_part(value: str) -> str:
    """RFC 5321 allows 64 characters before the "@" (Django does not check it)."""
    if len(value.partition("@")[0]) > 64:
        raise PydanticCustomError("invalid", "Enter at most 64 characters before the @.")
    return value


def ip_address_text(value: str) -> str:
    """An IPv4 or IPv6 address as JSON Schema reads them: no zone id, no surrounding spaces."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        valid = False
    else:
        valid = "%" not in value
    if not valid:
        raise PydanticCustomError("invalid", "Enter a valid IPv4 or IPv6 address.")
    return value


def iso_duration(value: datetime.timedelta) -> str:
    """ISO 8601 in days, hours, minutes and seconds ("P2DT3H"): exact, unlike years of 365 days."""
    sign = "-" if value < datetime.timedelta(0) else ""
    value = abs(value)
    minutes, seconds = divmod(value.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    second = f"{seconds}.{value.microseconds:06d}".rstrip("0") if value.microseconds else seconds
    units = ((hours, "H"), (minutes, "M"), (second, "S"))
    time = "".join(f"{amount}{unit}" for amount, unit in units if amount)
    days = f"{value.days}D" if value.days else ""
    if not days and not time:
        time = "0S"
    return f"{sign}P{days}T{time}" if time else f"{sign}P{days}"


_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


def integer_schema(low: int, high: int) -> dict[str, Any]:
    """An integer between ``low`` and ``high``, with the OpenAPI ``format`` of its width.

    A 64-bit column's own limits are left to ``format: int64``, which states them exactly:
    FastAPI writes the bounds of component schemas as doubles, and 2**63 - 1 is no double
    (it would read 2**63, beyond the column, which code generators refuse). Narrower bounds
    are written as they are when a double holds them, else rounded inward (``readable``).
    """
    if _INT32[0] <= low and high <= _INT32[1]:
        return {"type": "integer", "format": "int32", "minimum": low, "maximum": high}
    schema: dict[str, Any] = {"type": "integer", "format": "int64"}
    if low > _INT64[0]:
        schema["minimum"] = readable(low, upward=True)
    if high < _INT64[1]:
        schema["maximum"] = readable(high, upward=False)
    return schema


def readable(bound: int, *, upward: bool) -> int:
    """``bound``, or the nearest value inward (up for a minimum, down for a maximum) that reads
    the same as a double and as a decimal (OpenAPI readers take numbers as either)."""
    if abs(bound) <= 2**53:
        return bound
    for dropped in range(len(str(abs(bound)))):
        step: int = 10**dropped
        candidate = -(-bound // step) * step if upward else bound // step * step
        as_float = float(candidate)
        if as_float == candidate and decimal.Decimal(repr(as_float)) == candidate:
            return candidate
    return 0


def decimal_schema(digits: int, places: int, low: Any, high: Any) -> dict[str, Any]:
    """A number (a multiple of the smallest step) or a string of digits, within the bounds."""
    step = decimal.Decimal(10) ** -places
    limit = decimal.Decimal(10) ** (digits - places) - step
    low = -limit if low is None else max(-limit, decimal.Decimal(low))
    high = limit if high is None else min(limit, decimal.Decimal(high))
    whole = f"[0-9]{{1,{digits - places}}}" if digits > places else "0"
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    sign = "" if low >= 0 else "-?"
    number = {
        "type": "number",
        "minimum": float(low),
        "maximum": float(high),
        "multipleOf": float(step),
    }
    return {"anyOf": [number, {"type": "string", "pattern": f"^{sign}{whole}{fraction}$"}]}
