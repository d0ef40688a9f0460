"""Django field → Python type table, keyed by ``Field.get_internal_type()``.

Each entry turns a ``FieldInfo`` into an ``Annotated`` type carrying its constraints.
Extend it with ``register_field("MyField", factory)``.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, JsonValue, Strict

from ..errors import ConfigurationError
from ..introspect import FieldInfo

TypeFactory = Callable[[FieldInfo], Any]

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
INT16 = (-(2**15), 2**15 - 1)

INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "AutoField": (1, INT32[1]),
    "BigAutoField": (1, INT64[1]),
    "SmallAutoField": (1, INT16[1]),
    "IntegerField": INT32,
    "BigIntegerField": INT64,
    "SmallIntegerField": INT16,
    "PositiveIntegerField": (0, INT32[1]),
    "PositiveBigIntegerField": (0, INT64[1]),
    "PositiveSmallIntegerField": (0, INT16[1]),
}


def _integral_float_to_int(value: Any) -> Any:
    # JSON Schema's "integer" admits 3.0; strict int would not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _reject_nul(value: str) -> str:
    # PostgreSQL cannot store NUL characters in text columns.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


def _string_only(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, str | kind):
            return value
        raise ValueError(f"expected a string in {kind.__name__} format")

    return check


def integer(field: FieldInfo) -> Any:
    low, high = INTEGER_RANGES.get(field.internal_type, INT64)
    if field.min_value is not None:
        low = max(low, int(field.min_value))
    if field.max_value is not None:
        high = min(high, int(field.max_value))
    return Annotated[int, Field(ge=low, le=high), Strict(), BeforeValidator(_integral_float_to_int)]


def string(field: FieldInfo, **schema: Any) -> Any:
    return Annotated[
        str,
        Field(max_length=field.max_length, min_length=field.min_length, **schema),
        Strict(),
        AfterValidator(_reject_nul),
    ]


def _formatted_string(fmt: str) -> TypeFactory:
    return lambda field: string(field, json_schema_extra={"format": fmt})


def slug(field: FieldInfo) -> Any:
    return string(field, pattern=r"^[-a-zA-Z0-9_]+$")


def decimal_number(field: FieldInfo) -> Any:
    return Annotated[
        decimal.Decimal,
        Field(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            ge=field.min_value,
            le=field.max_value,
            allow_inf_nan=False,
        ),
    ]


def float_number(field: FieldInfo) -> Any:
    return Annotated[
        float, Field(ge=field.min_value, le=field.max_value, allow_inf_nan=False), Strict()
    ]


def _string_formatted(kind: type) -> TypeFactory:
    return lambda field: Annotated[kind, BeforeValidator(_string_only(kind))]


def boolean(field: FieldInfo) -> Any:
    return Annotated[bool, Strict()]


def json_value(field: FieldInfo) -> Any:
    return JsonValue


def binary(field: FieldInfo) -> Any:
    return Annotated[bytes, Field(max_length=field.max_length)]


_TABLE: dict[str, TypeFactory] = {
    **dict.fromkeys(INTEGER_RANGES, integer),
    "CharField": string,
    "TextField": string,
    "FilePathField": string,
    "FileField": string,  # the stored file name
    "ImageField": string,
    "CommaSeparatedIntegerField": string,
    "SlugField": slug,
    "EmailField": _formatted_string("email"),
    "URLField": _formatted_string("uri"),
    "GenericIPAddressField": string,  # Django validates IPv4 / IPv6 per its `protocol`
    "IPAddressField": string,
    "UUIDField": _string_formatted(uuid.UUID),
    "DecimalField": decimal_number,
    "FloatField": float_number,
    "BooleanField": boolean,
    "NullBooleanField": boolean,
    "DateField": _string_formatted(datetime.date),
    "DateTimeField": _string_formatted(datetime.datetime),
    "TimeField": _string_formatted(datetime.time),
    "DurationField": _string_formatted(datetime.timedelta),
    "JSONField": json_value,
    "BinaryField": binary,
}


def register_field(name: str, factory: TypeFactory) -> None:
    """Teach djgateway a field type: ``factory(field_info)`` returns a (possibly Annotated) type.

    ``name`` is a field class name or a ``get_internal_type()`` value; class names are looked up
    first, along the field's class hierarchy.
    """
    _TABLE[name] = factory


def python_type(field: FieldInfo) -> Any:
    """The value type of a field (a related field takes its target's key type)."""
    if field.relation is not None:
        target = field.relation.target_field
        if target.internal_type in ("AutoField", "BigAutoField", "SmallAutoField"):
            low, high = INTEGER_RANGES[target.internal_type]
            key_type: Any = Annotated[
                int, Field(ge=low, le=high), Strict(), BeforeValidator(_integral_float_to_int)
            ]
        else:
            key_type = python_type(target)
        return list[key_type] if field.is_many_to_many else key_type
    # The class wins over the internal type: EmailField reports "CharField" but has a format.
    for name in (*field.class_names, field.internal_type):
        if name in _TABLE:
            return _TABLE[name](field)
    raise ConfigurationError(
        "djgateway.E010",
        f"no schema type for field '{field.name}' ({field.internal_type}); register one "
        f"with djgateway.register_field({field.internal_type!r}, factory)",
    )
