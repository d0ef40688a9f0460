"""OpenAPI parameter objects for the query surface, so clients and fuzzers see every name."""

from __future__ import annotations

from typing import Any

from ..introspect import FieldInfo
from ..plan.query_surface import Filter, QuerySurface, kind_of
from ..schemas.fields import INT64, INTEGER_RANGES
from ..schemas.formats import FILTER_DURATION, NAIVE_TIME, NO_NUL
from .aggregate import MAX_GROUP_BY
from .cursor import MAX_CURSOR_LENGTH
from .params import MAX_OFFSET, MAX_ORDER_TERMS, NEGATION
from .values import DATE_PART_RANGES, MAX_LIST_ITEMS, MAX_TEXT_LENGTH

LIST_DESCRIPTION = (
    "Filter with `field=value` or `field__operator=value` (see the parameters); prefix a "
    f"filter with `{NEGATION}` to negate it (`{NEGATION}type=owner`). A list parameter "
    "(`__in`, `order_by`, `fields`) is repeated (`order_by=name&order_by=-founded`) or "
    "comma-separated (`order_by=name,-founded`). Page with `limit` and `offset` or with the "
    "`next_cursor` of the previous page."
)
#: A list in a query string: the parameter repeated (the OpenAPI default for ``form``, and what
#: generated clients send); the server takes a comma-separated value too (``params.listed``).
REPEATED = {"style": "form", "explode": True}
IN_DESCRIPTION = (
    "Any of these values: repeat the parameter, or separate values with commas (a comma "
    "always separates values)."
)
SPARSE_FIELDSET = (
    "Return only these fields: a sparse fieldset, as in JSON:API. Each item then holds just "
    "the named keys, even keys the item schema marks as required; without `fields`, items "
    "hold every key the schema requires."
)


def list_parameters(surface: QuerySurface) -> list[dict[str, Any]]:
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
        _names_param(
            "order_by",
            [n for key in surface.ordering_keys for n in (key, f"-{key}")],
            MAX_ORDER_TERMS,
            "Fields to order by, `-` for descending; the primary key always comes last.",
        ),
        _names_param("fields", list(surface.selectable), None, SPARSE_FIELDSET),
        _param("count", {"type": "string", "enum": ["exact"]}, "Include the total count."),
    ]
    return [*parameters, *_search(surface), *_filters(surface)]


def aggregate_parameters(surface: QuerySurface) -> list[dict[str, Any]]:
    group_by = (
        [_names_param("group_by", list(surface.group_by), MAX_GROUP_BY, "Group by these.")]
        if surface.group_by
        else []
    )
    return [*group_by, *_search(surface), *_filters(surface)]


def _names_param(
    name: str, allowed: list[str], max_items: int | None, description: str
) -> dict[str, Any]:
    """A list of allowed names (``order_by=name&order_by=-founded``, or ``=name,-founded``)."""
    schema: dict[str, Any] = {
        "type": "array",
        "items": {"type": "string", "enum": allowed},
        "minItems": 1,
        "uniqueItems": True,
    }
    if max_items is not None:
        schema["maxItems"] = max_items
    parameter = _param(name, schema, description)
    parameter.update(REPEATED)
    return parameter


def _search(surface: QuerySurface) -> list[dict[str, Any]]:
    if not surface.search:
        return []
    fields = ", ".join(f.lookup for f in surface.search)
    return [_param("search", {"type": "string", "maxLength": 200}, f"Words to find in: {fields}.")]


def _filters(surface: QuerySurface) -> list[dict[str, Any]]:
    parameters = []
    for name, spec in surface.filters.items():
        schema = _filter_schema(spec.field, spec.operator)
        parameter = _param(name, schema, _filter_description(name, spec))
        if spec.operator == "in":
            parameter.update(REPEATED)
        parameters.append(parameter)
    return parameters


def _filter_description(name: str, spec: Filter) -> str | None:
    # ``count__exact``: a field named like a reserved parameter is filtered under another name
    if spec.operator == "exact" and name != spec.name:
        return f"Equals, for the field `{spec.name}` (a reserved parameter name)."
    if spec.operator == "in":
        return IN_DESCRIPTION
    return None


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
    text = {"type": "string", "maxLength": MAX_TEXT_LENGTH, "pattern": NO_NUL}
    return dict(_SCHEMAS.get(kind, text))


_SCHEMAS: dict[str, dict[str, Any]] = {
    "decimal": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "pattern": NAIVE_TIME},
    "duration": {"type": "string", "pattern": FILTER_DURATION},
    "uuid": {"type": "string", "format": "uuid"},
    "ip": {"anyOf": [{"type": "string", "format": "ipv4"}, {"type": "string", "format": "ipv6"}]},
}
