"""The parts of a page query: ordering, counted children, the cursor it ends with, and how a
compiled page is keyed and filled (``prepared.py``)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import OrderBy

from ..plan.query_surface import OrderKey
from ..query import ListQuery, OrderTerm, encode_cursor
from ..query.params import Condition, predicate_of

# Filters whose SQL takes the value as one parameter (``in`` lists and date parts do not).
REUSABLE_OPERATORS = frozenset({"exact", "gt", "gte", "lt", "lte", "icontains", "istartswith"})


def annotate_counts(queryset: QuerySet[Any], ordering: Iterable[OrderTerm]) -> QuerySet[Any]:
    counts = {t.key.name: _count(t.key) for t in ordering if t.key.count_of}
    return queryset.annotate(**counts) if counts else queryset


def _count(key: OrderKey) -> Count:
    # soft-deleted children read as gone, so they are not counted either
    assert key.count_of is not None
    skips = ~Q(key.count_skips) if key.count_skips else None
    return Count(key.count_of, filter=skips)


def order_expression(term: OrderTerm) -> OrderBy:
    # NULLs last ascending / first descending on every database, as the keyset assumes.
    column = F(term.key.name)
    return column.desc(nulls_first=True) if term.descending else column.asc(nulls_last=True)


def cursor_after(query: ListQuery, last: dict[str, Any]) -> str:
    tokens = [term.token for term in query.ordering]
    values = [last[term.key.name] for term in query.ordering]
    return encode_cursor(tokens, values, query.fingerprint)


def page_shape(query: ListQuery, include_deleted: bool) -> Hashable:
    """Everything of a page query but the path ids and the filter values."""
    tokens = tuple(term.token for term in query.ordering)
    filters = tuple(
        (c.lookup, c.negated, c.value if c.operator == "isnull" else None) for c in query.conditions
    )
    return ("list", query.fields, tokens, query.offset, query.limit, include_deleted, filters)


def condition_fields(
    model: type[models.Model], conditions: Iterable[Condition]
) -> dict[str, Any] | None:
    """The model field preparing each filter value, keyed ``filter0``, ``filter1``...; None
    when a filter's SQL depends on more than a parameter (``in`` lists, date parts)."""
    keys: dict[str, Any] = {}
    for index, condition in enumerate(conditions):
        if condition.operator == "isnull":  # IS NULL or IS NOT NULL: part of the shape
            continue
        if condition.operator not in REUSABLE_OPERATORS:
            return None
        keys[f"filter{index}"] = _lookup_field(model, condition.lookup, condition.operator)
    return keys


def condition_values(query: ListQuery) -> dict[str, Any]:
    return {
        f"filter{index}": condition.value
        for index, condition in enumerate(query.conditions)
        if condition.operator != "isnull"
    }


def with_values(query: ListQuery, values: Mapping[str, Any]) -> Q:
    """The client's filters with other values (stand-ins, when compiling)."""
    return predicate_of(
        replace(condition, value=values[f"filter{index}"])
        if condition.operator != "isnull"
        else condition
        for index, condition in enumerate(query.conditions)
    )


def _lookup_field(model: Any, lookup: str, operator: str) -> Any:
    field: Any = None
    for part in lookup.removesuffix(f"__{operator}").split("__"):
        field = model._meta.get_field(part)
        model = field.related_model if field.is_relation else model
    return field
