"""Parse ``:aggregate/{function}/{field}?group_by=...`` against the resource's allow-lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from ..errors import not_found
from ..plan.query_surface import AGGREGATE_FUNCTIONS, AGGREGATE_PARAMETERS, QuerySurface
from .params import filtered_fields, filters, invalid, listed, reject_unknown, search, single

MAX_GROUP_BY = 3


@dataclass(frozen=True)
class AggregateQuery:
    function: str
    field: str
    group_by: tuple[str, ...]
    predicate: Q
    filtered: frozenset[str] = frozenset()


def parse_aggregate_query(
    surface: QuerySurface,
    function: str,
    field: str,
    params: Iterable[tuple[str, str]],
    full_text: bool = False,
) -> AggregateQuery:
    if field not in surface.aggregate_fields or function not in AGGREGATE_FUNCTIONS:
        raise not_found(f"No aggregate {function!r} over {field!r} here.")
    if function not in surface.functions_for(field):
        raise not_found(
            f"{function!r} does not apply to {field!r}; use one of "
            f"{', '.join(surface.functions_for(field))}."
        )
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, value in params:
        grouped[name].append(value)
    reserved = [r for r in AGGREGATE_PARAMETERS if r != "search" or surface.search]
    allowed = [*reserved, *surface.filters]
    reject_unknown(grouped, allowed, surface)
    return AggregateQuery(
        function=function,
        field=field,
        group_by=_group_by(surface, listed(grouped, "group_by")),
        predicate=filters(surface, grouped) & search(surface, single(grouped, "search"), full_text),
        filtered=filtered_fields(surface, grouped),
    )


def _group_by(surface: QuerySurface, sent: list[str] | None) -> tuple[str, ...]:
    if sent is None:
        return ()
    names = [name.strip() for name in sent]
    unknown = [name for name in names if name not in surface.group_by]
    if unknown or len(names) > MAX_GROUP_BY or len(set(names)) != len(names):
        allowed = ", ".join(surface.group_by)
        raise invalid("group_by", f"takes up to {MAX_GROUP_BY} distinct names of: {allowed}")
    return tuple(names)
