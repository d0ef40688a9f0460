"""OpenAPI parameter objects for the query surface, so clients and fuzzers see every name."""

from __future__ import annotations

from typing import Any

from ..introspect import FieldInfo
from ..plan.query_surface import QuerySurface, kind_of
from ..schemas.fields import INT64, INTEGER_RANGES
from .cursor import MAX_CURSOR_LENGTH
from .params import MAX_OFFSET, NEGATION
from .values import DATE_PART_RANGES, MAX_LIST_ITEMS, MAX_TEXT_LENGTH

LIST_DESCRIPTION = (
    "Filter with `field=value` or `field__operator=value` (see the parameters); prefix a "
    f"filter with `{NEGATION}` to negate it (`{NEGATION}type=owner`). `__in` takes a comma "
    "list. Order with `order_by=name,-founded`; page with `limit` and `offset` or with the "
    "`next_cursor` of the previous page."
)


def list_parameters(surface: QuerySurface) -> list[dict[str, Any]]:
    orderable = ", ".join(surface.ordering_keys)
    parameters = [
        _param(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": surface.max_page_size},
            f"Items per page (default {surface.list_per_page}).",
        ),
        _param(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            "Items to skip.",
        ),
        _param(
            "cursor",
            {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
            "The next_cursor of the previous page (same order_by).",
        ),
        _param(
            "order_by", {"type": "string"}, f"Comma-separated, `-` for descending: {orderable}."
        ),
        _param(
            "fields",
            {"type": "string"},
            f"Comma-separated subset of: {', '.join(surface.selectable)}.",
        ),
        _param("count", {"type": "string", "enum": ["exact"]}, "Include the total count."),
    ]
    return [*parameters, *_search(surface), *_filters(surface)]


def aggregate_parameters(surface: QuerySurface) -> list[dict[str, Any]]:
    group_by = ", ".join(surface.group_by)
    return [
        _param("group_by", {"type": "string"}, f"Comma-separated, up to 3 of: {group_by}."),
        *_search(surface),
        *_filters(surface),
    ]


def _search(surface: QuerySurface) -> list[dict[str, Any]]:
    if not surface.search:
        return []
    fields = ", ".join(f.lookup for f in surface.search)
    return [_param("search", {"type": "string", "maxLength": 200}, f"Words to find in: {fields}.")]


def _filters(surface: QuerySurface) -> list[dict[str, Any]]:
    return [
        _param(name, _filter_schema(spec.field, spec.operator), None)
        for name, spec in surface.filters.items()
    ]


def _param(name: str, schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


def _filter_schema(info: FieldInfo, operator: str) -> dict[str, Any]:
    if operator == "in":
        return {"type": "array", "items": value_schema(info), "maxItems": MAX_LIST_ITEMS}
    if operator == "isnull":
        return {"type": "boolean"}
    if operator in DATE_PART_RANGES:
        low, high = DATE_PART_RANGES[operator]
        return {"type": "integer", "minimum": low, "maximum": high}
    if operator == "date":
        return {"type": "string", "format": "date"}
    return value_schema(info)


def value_schema(info: FieldInfo) -> dict[str, Any]:
    kind = kind_of(info)
    if kind == "choice":
        return {"enum": [value for value, _label in info.choices or ()]}
    if kind == "integer":
        key = info.relation.target_field if info.relation else info
        low, high = INTEGER_RANGES.get(key.internal_type, INT64)
        return {"type": "integer", "minimum": low, "maximum": high}
    return dict(_SCHEMAS.get(kind, {"type": "string", "maxLength": MAX_TEXT_LENGTH}))


_SCHEMAS: dict[str, dict[str, Any]] = {
    "decimal": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "format": "time"},
    "duration": {"type": "string", "format": "duration"},
    "uuid": {"type": "string", "format": "uuid"},
}
