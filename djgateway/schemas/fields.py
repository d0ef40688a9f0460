"""Django field → Python type table, keyed by ``Field.get_internal_type()``.

Each entry turns a ``FieldInfo`` into an ``Annotated`` type carrying its constraints.
Extend it with ``register_field("MyField", factory)``.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    JsonValue,
    PlainSerializer,
    Strict,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ..errors import ConfigurationError
from ..introspect import FieldInfo
from .formats import (
    DURATION,
    EMAIL,
    EXAMPLES,
    NAIVE_TIME,
    WEB_URL,
    decimal_schema,
    email_local_part,
    fitting,
    integer_schema,
    ip_address_text,
    iso_duration,
    text_matching,
)

TypeFactory = Callable[[FieldInfo], Any]

INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)  # exact: schemas document them as formats.integer_schema says

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


def reject_nul(value: str) -> str:
    """PostgreSQL cannot store NUL characters in text columns: refused as Django's forms do
    (``ProhibitNullCharactersValidator``), without a pattern in the schema (see ``NO_NUL``)."""
    if "\x00" in value:
        raise PydanticCustomError(
            "null_characters_not_allowed", "Null characters (\\u0000) are not allowed."
        )
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
    return bounded_integer(low, high)


def bounded_integer(low: int, high: int) -> Any:
    # Validated within the exact bounds, documented as ``integer_schema`` writes them.
    return Annotated[
        int,
        Field(ge=low, le=high),
        Strict(),
        BeforeValidator(_integral_float_to_int),
        WithJsonSchema(integer_schema(low, high)),
    ]


def string(field: FieldInfo, **schema: Any) -> Any:
    own_pattern = len(field.patterns) == 1 and _portable(field.patterns[0])
    if own_pattern:
        # The field's own RegexValidator is more specific than its class's format (a slug).
        # Requests only: save() may store what the validator refuses (oscar's AutoSlugField).
        schema["pattern"] = field.patterns[0]
    examples = tuple(schema.pop("examples", ()))
    shown = fitting(examples, field.max_length, schema.get("pattern"))[:1]
    if shown:
        schema["examples"] = shown
    if own_pattern:
        return Annotated[_text(field, **schema), _read_without_pattern(field)]
    return _text(field, **schema)


def _read_without_pattern(field: FieldInfo) -> WithJsonSchema:
    """The documented read schema of a text whose stored values may break the request pattern."""
    read: dict[str, Any] = {"type": "string"}
    if field.max_length is not None:
        read["maxLength"] = field.max_length
    return WithJsonSchema(read, mode="serialization")


@functools.cache
def _portable(pattern: str) -> bool:
    """Whether pydantic's regex engine takes ``pattern`` (no look-around, no back references)."""
    try:
        TypeAdapter(Annotated[str, Field(pattern=pattern)])
    except Exception:  # pydantic reports an unsupported expression in several ways
        return False
    return True


def phone_number(field: FieldInfo) -> Any:
    """django-phonenumber-field: any number its numbering plans accept, in E.164 or national
    form; documented with the custom format ``phone`` (the fuzzer generates real numbers)."""
    return _formatted(field, "phone", examples=EXAMPLES["phone"])


def _text(field: FieldInfo, **schema: Any) -> Any:
    return Annotated[
        str,
        Field(max_length=field.max_length, min_length=field.min_length, **schema),
        Strict(),
        AfterValidator(reject_nul),
    ]


def _formatted(
    field: FieldInfo,
    *formats: str,
    pattern: str | None = None,
    message: str = "",
    examples: tuple[str, ...] = (),
) -> Any:
    """A string in one of the JSON Schema ``formats`` (or empty, when the field may be blank).

    ``pattern`` narrows the formats to what the field's Django validator accepts. The empty
    string is a string of ``maxLength: 0``: code generators (openapi-python-client) read
    string branches as one string type, where a ``const: ""`` made a literal that every
    other value failed.
    """
    extra: dict[str, Any] = {} if pattern is None else {"pattern": pattern}
    if field.max_length is not None:
        extra["maxLength"] = field.max_length
    branches = [{"type": "string", "format": fmt, **extra} for fmt in formats]
    if field.blank:
        branches.append({"type": "string", "maxLength": 0})
    schema = branches[0] if len(branches) == 1 else {"anyOf": branches}
    shown = fitting(examples, field.max_length, pattern)
    if shown:
        schema = {**schema, "examples": shown}
    if pattern is None:
        return Annotated[_text(field), WithJsonSchema(schema)]
    allowed = f"^$|{pattern}" if field.blank else pattern
    check = AfterValidator(text_matching(allowed, message))
    return Annotated[_text(field), check, WithJsonSchema(schema)]


def email(field: FieldInfo) -> Any:
    valid = _formatted(
        field,
        "email",
        pattern=EMAIL,
        message="Enter a valid email address.",
        examples=EXAMPLES["email"],
    )
    return Annotated[valid, AfterValidator(email_local_part)]


def web_url(field: FieldInfo) -> Any:
    return _formatted(
        field, "uri", pattern=WEB_URL, message="Enter a valid URL.", examples=EXAMPLES["uri"]
    )


def ip_address(field: FieldInfo) -> Any:
    """An IPv4 or IPv6 address; when blank, also "" (which Django stores as NULL: a blank
    ``GenericIPAddressField`` must be nullable)."""
    check = _or_empty(ip_address_text) if field.blank else ip_address_text
    documented = _formatted(field, "ipv4", "ipv6", examples=EXAMPLES["ip"])
    return Annotated[documented, AfterValidator(check)]


def _or_empty(check: Callable[[str], str]) -> Callable[[str], str]:
    return lambda value: value if value == "" else check(value)


def slug(field: FieldInfo) -> Any:
    pattern = r"^[-a-zA-Z0-9_]+$"
    ascii_slug = string(field, pattern=pattern, examples=EXAMPLES["slug"])
    if field.allow_unicode:
        # Requests take ASCII slugs (JSON Schema's \w is ASCII only); stored ones may hold
        # letters of any script (taggit slugifies tag names), so reads document no pattern.
        return Annotated[ascii_slug, _read_without_pattern(field)]
    return ascii_slug


def choice_list(field: FieldInfo) -> Any:
    """Several choices in one text column, comma-separated (``CountryField(multiple=True)``)."""
    values = [str(value) for value, _label in field.choices or ()]
    one = "|".join(re.escape(value) for value in values)
    pattern = f"^({one})(,({one}))*$"
    example = (",".join(values[:2]),) if values else ()
    return string(field, pattern=f"^$|{pattern}" if field.blank else pattern, examples=example)


def decimal_number(field: FieldInfo) -> Any:
    constraints = Field(
        max_digits=field.max_digits,
        decimal_places=field.decimal_places,
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
    )
    if field.max_digits is None or field.decimal_places is None:
        return Annotated[decimal.Decimal, constraints]
    schema = decimal_schema(
        field.max_digits, field.decimal_places, field.min_value, field.max_value
    )
    text = text_matching(schema["anyOf"][1]["pattern"], "Enter a number like 12.34.")
    return Annotated[
        decimal.Decimal,
        constraints,
        BeforeValidator(text),
        WithJsonSchema(schema, mode="validation"),
    ]


def float_number(field: FieldInfo) -> Any:
    return Annotated[
        float, Field(ge=field.min_value, le=field.max_value, allow_inf_nan=False), Strict()
    ]


def _string_formatted(kind: type) -> TypeFactory:
    return lambda field: Annotated[kind, BeforeValidator(_string_only(kind))]


def _in_utc(value: datetime.datetime) -> datetime.datetime:
    # PostgreSQL refuses zone offsets beyond ±15:59 (Python allows ±23:59): store UTC.
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is in year 0 in UTC
        raise PydanticCustomError(
            "datetime_out_of_range", "The date-time is out of range (years 1 to 9999 in UTC)."
        ) from None


def date_time(field: FieldInfo) -> Any:
    return Annotated[
        datetime.datetime,
        BeforeValidator(_string_only(datetime.datetime)),
        AfterValidator(_in_utc),
    ]


def naive_time(field: FieldInfo) -> Any:
    return Annotated[
        datetime.time,
        BeforeValidator(text_matching(NAIVE_TIME, "Enter a time as HH:MM:SS, without a zone.")),
        BeforeValidator(_string_only(datetime.time)),
        WithJsonSchema(
            {"type": "string", "pattern": NAIVE_TIME, "examples": list(EXAMPLES["time"])}
        ),
    ]


def duration(field: FieldInfo) -> Any:
    # Read as any ISO 8601 duration, written in days (pydantic's years of 365 days are not
    # RFC 3339 durations).
    return Annotated[
        datetime.timedelta,
        BeforeValidator(_string_only(datetime.timedelta)),
        PlainSerializer(iso_duration, return_type=str, when_used="json"),
        WithJsonSchema(
            {"type": "string", "pattern": DURATION, "examples": list(EXAMPLES["duration"])},
            mode="serialization",
        ),
    ]


def boolean(field: FieldInfo) -> Any:
    return Annotated[bool, Strict()]


def json_value(field: FieldInfo) -> Any:
    """Any JSON value, except those ``full_clean`` refuses: ``null`` unless ``null=True``,
    and ``""``, ``[]``, ``{}`` unless ``blank=True`` (stored ones read as they are)."""
    refused: list[Any] = [] if field.null else [None]
    if not field.blank:
        refused += ["", [], {}]
    if not refused:
        return JsonValue

    def check(value: Any) -> Any:
        if any(value == empty and type(value) is type(empty) for empty in refused):
            raise ValueError("This field cannot be blank." if value is not None else "null")
        return value

    documented = WithJsonSchema({"not": {"enum": refused}}, mode="validation")
    return Annotated[JsonValue, AfterValidator(check), documented]


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
    "EmailField": email,
    "URLField": web_url,
    "GenericIPAddressField": ip_address,
    "IPAddressField": string,
    "UUIDField": _string_formatted(uuid.UUID),
    "DecimalField": decimal_number,
    "FloatField": float_number,
    "BooleanField": boolean,
    "NullBooleanField": boolean,
    "DateField": _string_formatted(datetime.date),
    "DateTimeField": date_time,
    "TimeField": naive_time,
    "DurationField": duration,
    "JSONField": json_value,
    "PhoneNumberField": phone_number,
    "BinaryField": binary,
}


_BUILT_IN = dict(_TABLE)  # before register_field: what a registration replaced


def register_field(name: str, factory: TypeFactory) -> None:
    """Teach djgateway a field type: ``factory(field_info)`` returns a (possibly Annotated) type.

    ``name`` is a field class name or a ``get_internal_type()`` value; class names are looked up
    first, along the field's class hierarchy.
    """
    _TABLE[name] = factory


# The types stored values of built-in columns are read as: the column's Python type without
# the write side's constraints. A row written by SQL, a migration or an older rule may break
# them (a long name, a value outside the choices), and reading it must still answer it, as
# the plain path does (orm/rows.py); the documented schema stays the write side's.
_STORED: dict[str, TypeFactory] = {
    **dict.fromkeys(INTEGER_RANGES, lambda field: int),
    **dict.fromkeys(
        (
            "CharField",
            "TextField",
            "FilePathField",
            "FileField",
            "ImageField",
            "CommaSeparatedIntegerField",
            "SlugField",
            "EmailField",
            "URLField",
            "GenericIPAddressField",
            "IPAddressField",
        ),
        lambda field: str,
    ),
    "DecimalField": lambda field: decimal.Decimal,
    "JSONField": lambda field: JsonValue,
    # the ORM hands out PhoneNumber objects; their text is the stored E.164 form
    "PhoneNumberField": lambda field: Annotated[str, BeforeValidator(str)],
    "FloatField": lambda field: float,
    "BinaryField": lambda field: bytes,
}  # the other built-in types put no constraint on stored values: read as written


def stored_type(field: FieldInfo) -> Any | None:
    """The type a stored value of ``field`` is read as, without write-side constraints;
    ``None`` for a field whose type was registered (``register_field``): it keeps its own."""
    if field.relation is not None:
        key_type = stored_type(field.relation.target_field)
        if key_type is None:
            return None
        return list[key_type] if field.is_many_to_many else key_type  # type: ignore[valid-type]
    for name in (*field.class_names, field.internal_type):
        if name in _TABLE:
            if _TABLE[name] is not _BUILT_IN.get(name):
                return None
            return _STORED.get(name, _TABLE[name])(field)
    return None


def missing_type(field: FieldInfo) -> str | None:
    """Why ``field`` has no schema type (``None``: it has one), without building the type."""
    if field.relation is not None:
        target = field.relation.target_field
        return None if target.internal_type in _AUTO_KEYS else missing_type(target)
    return None if _factory(field) is not None else _no_type(field)


def python_type(field: FieldInfo) -> Any:
    """The value type of a field (a related field takes its target's key type)."""
    if field.relation is not None:
        target = field.relation.target_field
        if target.internal_type in _AUTO_KEYS:
            key_type: Any = bounded_integer(*INTEGER_RANGES[target.internal_type])
        else:
            key_type = python_type(target)
        return list[key_type] if field.is_many_to_many else key_type
    if field.multiple and field.choices:
        return choice_list(field)
    if field.internal_type in ("CharField", "TextField") and field.validated_as:
        return web_url(field) if field.validated_as[0] == "url" else email(field)
    factory = _factory(field)
    if factory is None:
        raise ConfigurationError("djgateway.E010", _no_type(field))
    return factory(field)


_AUTO_KEYS = ("AutoField", "BigAutoField", "SmallAutoField")


def _factory(field: FieldInfo) -> TypeFactory | None:
    # The class wins over the internal type: EmailField reports "CharField" but has a format.
    for name in (*field.class_names, field.internal_type):
        if name in _TABLE:
            return _TABLE[name]
    return None


def _no_type(field: FieldInfo) -> str:
    return (
        f"no schema type for field '{field.name}' ({field.internal_type}); register one "
        f"with djgateway.register_field({field.internal_type!r}, factory)"
    )
