"""The query surface of a list route: every name a client may send, decided at startup.

This module holds the data; ``surface.py`` builds it.

Filters, orderings, search fields, selectable fields, aggregates and groupings are allow-lists
built from the resource's exposed fields (and the exposed fields of exposed to-one related
resources). Request parsing only ever looks names up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..introspect import FieldInfo

Kind = Literal[
    "integer",
    "decimal",
    "float",
    "text",
    "choice",
    "boolean",
    "date",
    "datetime",
    "time",
    "duration",
    "uuid",
    "ip",
    "other",
]

COMPARISONS = ("gt", "gte", "lt", "lte")
OPERATORS: dict[Kind, tuple[str, ...]] = {
    "integer": ("exact", "in", *COMPARISONS),
    "decimal": ("exact", "in", *COMPARISONS),
    "float": ("exact", *COMPARISONS),
    "text": ("exact", "in", "icontains", "istartswith"),
    "choice": ("exact", "in"),
    "boolean": ("exact",),
    "date": ("exact", "in", *COMPARISONS, "year", "month", "day"),
    "datetime": (*COMPARISONS, "year", "month", "day", "date"),
    "time": ("exact", *COMPARISONS),
    "duration": ("exact", *COMPARISONS),
    "uuid": ("exact", "in"),
    "ip": ("exact", "in"),
    "other": (),
}
KEY_OPERATORS = ("exact", "in")  # foreign-key ids, whatever the target key's type
ORDERABLE = frozenset(OPERATORS) - {"other"}
NUMERIC = frozenset({"integer", "decimal", "float"})
TEMPORAL = frozenset({"date", "datetime", "time"})
DATE_PARTS: dict[Kind, tuple[str, ...]] = {
    "date": ("year", "month", "day"),
    "datetime": ("year", "month", "day", "date"),
}
AGGREGATE_FUNCTIONS = ("count", "sum", "avg", "min", "max")
# The query parameters that are not filters, on list routes and on aggregate routes; a field
# named like one is filtered as ``<name>__exact`` (``surface.py``).
LIST_PARAMETERS = ("limit", "offset", "cursor", "order_by", "fields", "search", "count")
AGGREGATE_PARAMETERS = ("group_by", "search")
RESERVED_PARAMETERS = frozenset((*LIST_PARAMETERS, *AGGREGATE_PARAMETERS))
SEARCH_MODES = {"^": "istartswith", "=": "iexact", "@": "search"}

_KINDS_BY_CLASS: dict[str, Kind] = {
    "BooleanField": "boolean",
    "NullBooleanField": "boolean",
    "DateTimeField": "datetime",
    "DateField": "date",
    "TimeField": "time",
    "DurationField": "duration",
    "UUIDField": "uuid",
    "DecimalField": "decimal",
    "FloatField": "float",
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "AutoField": "integer",
    "BigAutoField": "integer",
    "SmallAutoField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveBigIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "CharField": "text",
    "TextField": "text",
    "SlugField": "text",
    "EmailField": "text",
    "URLField": "text",
    "FilePathField": "text",
    "FileField": "text",
    "GenericIPAddressField": "ip",
    "IPAddressField": "ip",
}


def kind_of(info: FieldInfo) -> Kind:
    if info.relation is not None:
        return "other" if info.is_many_to_many else kind_of(info.relation.target_field)
    if info.choices:
        return "choice"
    for name in (*info.class_names, info.internal_type):
        if name in _KINDS_BY_CLASS:
            return _KINDS_BY_CLASS[name]
    return "other"


@dataclass(frozen=True)
class Filter:
    param: str  # what the client sends: "name__icontains", "category__name"
    lookup: str  # what reaches the ORM: "name__icontains", "category__name__exact"
    field: FieldInfo  # parses the value
    operator: str

    @property
    def name(self) -> str:
        """The field's client name: "name", "category__name"."""
        return self.lookup.removesuffix(f"__{self.operator}")


@dataclass(frozen=True)
class OrderKey:
    name: str  # client name, also the ORM expression or annotation alias
    field: FieldInfo | None  # None for a count of children
    count_of: str | None = None  # related query name counted: "departments", "page"
    count_skips: tuple[str, Any] | None = None  # soft-deleted children: (lookup, status value)

    @property
    def nullable(self) -> bool:
        return self.field is not None and self.field.null


@dataclass(frozen=True)
class SearchField:
    lookup: str  # "name", "category__name"
    mode: str  # icontains | istartswith | iexact | search


@dataclass(frozen=True)
class GroupKey:
    name: str  # client name and ORM expression: "type", "category_id", "created__year"
    field: FieldInfo


@dataclass(frozen=True)
class QuerySurface:
    filters: dict[str, Filter] = field(default_factory=dict)
    ordering_keys: dict[str, OrderKey] = field(default_factory=dict)
    default_ordering: tuple[str, ...] = ("pk",)
    search: tuple[SearchField, ...] = ()
    selectable: tuple[str, ...] = ()
    list_per_page: int = 100
    max_page_size: int = 1000
    aggregate_fields: dict[str, FieldInfo] = field(default_factory=dict)
    group_by: dict[str, GroupKey] = field(default_factory=dict)
    max_groups: int = 1000
    pk: FieldInfo | None = None  # the primary key, which ends every ordering
    warnings: tuple[str, ...] = ()  # e.g. a field filtered under another name

    def functions_for(self, name: str) -> tuple[str, ...]:
        kind = kind_of(self.aggregate_fields[name])
        if kind in NUMERIC:
            return AGGREGATE_FUNCTIONS
        if kind in TEMPORAL:
            return ("count", "min", "max")
        return ("count",)


def restrict(surface: QuerySurface, hidden: frozenset[str]) -> QuerySurface:
    """The surface a caller who may not read the ``hidden`` fields (body keys) may use."""
    if not hidden:
        return surface

    def visible(name: str) -> bool:
        return name.split("__", 1)[0] not in hidden

    return replace(
        surface,
        filters={n: f for n, f in surface.filters.items() if visible(f.lookup)},
        ordering_keys={n: k for n, k in surface.ordering_keys.items() if visible(n)},
        # A default ordering on a hidden field would refuse every list of this caller.
        default_ordering=tuple(t for t in surface.default_ordering if visible(t.lstrip("-"))),
        search=tuple(s for s in surface.search if visible(s.lookup)),
        selectable=tuple(n for n in surface.selectable if n not in hidden),
        aggregate_fields={n: f for n, f in surface.aggregate_fields.items() if visible(n)},
        group_by={n: g for n, g in surface.group_by.items() if visible(n)},
    )
