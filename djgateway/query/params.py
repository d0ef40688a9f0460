"""Parse a list route's query string into a ``ListQuery`` (or a 400 that lists what is allowed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ..errors import ApiError, FieldError, bad_request
from ..plan.query_surface import LIST_PARAMETERS, OrderKey, QuerySurface
from .cursor import cursor_value, decode_cursor, query_fingerprint
from .values import parse_filter_value, parse_integer

RESERVED = LIST_PARAMETERS  # never a filter's name (the plan renames such filters)
UNSELECTIVE = frozenset(RESERVED) - {"search"}  # parameters that leave the rows as they are
NEGATION = "!"
MAX_ORDER_TERMS = 5
MAX_SEARCH_TERMS = 10
MAX_OFFSET = 10**9


@dataclass(frozen=True)
class OrderTerm:
    key: OrderKey
    descending: bool

    @property
    def token(self) -> str:
        return f"-{self.key.name}" if self.descending else self.key.name


@dataclass(frozen=True)
class Condition:
    """One filter the client sent; ``ListQuery.predicate`` holds it too, this form lets a
    compiled query be reused with other values."""

    lookup: str  # from the allow-list: "name__istartswith"
    operator: str
    value: Any
    negated: bool


@dataclass(frozen=True)
class ListQuery:
    predicate: Q  # the client's filters and search, already negated where asked
    ordering: tuple[OrderTerm, ...]  # always ends with the primary key
    limit: int
    offset: int
    after: list[Any] | None  # keyset: the ordering values of the previous page's last row
    fields: tuple[str, ...]
    count: bool
    filtered: frozenset[str] = frozenset()  # fields the client filtered on (first lookup part)
    conditions: tuple[Condition, ...] = ()  # the filters of the predicate, one by one
    searched: bool = False  # the predicate also holds a ?search=
    fingerprint: str = ""  # the resource, filters and search: what a cursor is bound to


def parse_list_query(
    surface: QuerySurface,
    params: Iterable[tuple[str, str]],
    prefer: str = "",
    full_text: bool = False,
    context: str = "",
) -> ListQuery:
    """``context``: what the rows come from (the resource and the path's ids), so that a cursor
    replayed on another list is refused."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, value in params:
        grouped[name].append(value)
    _reject_unknown(surface, grouped)
    ordering = _ordering(surface, listed(grouped, "order_by"))
    cursor = single(grouped, "cursor")
    offset = _number(grouped, "offset", 0, 0, MAX_OFFSET)
    if cursor is not None and offset:
        raise invalid("cursor", "cannot be combined with offset")
    sent = conditions(surface, grouped)
    searching = search(surface, single(grouped, "search"), full_text)
    selective = {name: values for name, values in grouped.items() if name not in UNSELECTIVE}
    fingerprint = query_fingerprint(context, selective)
    return ListQuery(
        predicate=predicate_of(sent) & searching,
        ordering=ordering,
        limit=_number(grouped, "limit", surface.list_per_page, 1, surface.max_page_size),
        offset=offset,
        after=_after(cursor, ordering, fingerprint),
        fields=_fields(surface, listed(grouped, "fields")),
        count=_count(single(grouped, "count"), prefer),
        filtered=filtered_fields(surface, grouped),
        conditions=sent,
        searched=bool(searching),
        fingerprint=fingerprint,
    )


def allowed_names(surface: QuerySurface) -> list[str]:
    reserved = [r for r in RESERVED if r != "search" or surface.search]
    return [*reserved, *surface.filters]


def _reject_unknown(surface: QuerySurface, grouped: dict[str, list[str]]) -> None:
    reject_unknown(grouped, allowed_names(surface), surface)


def reject_unknown(
    grouped: dict[str, list[str]], allowed: list[str], surface: QuerySurface
) -> None:
    known = set(allowed)
    unknown = [
        n for n in grouped if n not in known and n.removeprefix(NEGATION) not in surface.filters
    ]
    if unknown:
        listed = ", ".join(allowed)
        raise ApiError(
            400,
            "Bad Request",
            f"Unknown query parameter {unknown[0]!r}. Allowed: {listed} "
            f"(prefix a filter with {NEGATION!r} to negate it).",
            [FieldError(("query", n), "unknown parameter", "unknown_parameter") for n in unknown],
        )


def invalid(name: str, message: str) -> ApiError:
    return bad_request(
        f"Query parameter {name!r} {message}.", [FieldError(("query", name), message, "invalid")]
    )


def single(grouped: dict[str, list[str]], name: str) -> str | None:
    values = grouped.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise invalid(name, "was given more than once")
    return values[0]


def listed(grouped: dict[str, list[str]], name: str) -> list[str] | None:
    """A list of names in either spelling, or both mixed: the parameter repeated
    (``order_by=name&order_by=-founded``, what the document declares and generated clients
    send) or one comma-separated value (``order_by=name,-founded``). Names never hold a comma."""
    values = grouped.get(name)
    if not values:
        return None
    return [token for value in values for token in value.split(",")]


def _number(grouped: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    raw = single(grouped, name)
    if raw is None:
        return default
    try:
        return parse_integer(raw, low, high)
    except ValueError as exc:
        raise invalid(name, str(exc)) from None


def filtered_fields(surface: QuerySurface, grouped: dict[str, list[str]]) -> frozenset[str]:
    names = (name.removeprefix(NEGATION) for name in grouped)
    return frozenset(
        surface.filters[name].lookup.split("__", 1)[0] for name in names if name in surface.filters
    )


def filters(surface: QuerySurface, grouped: dict[str, list[str]]) -> Q:
    return predicate_of(conditions(surface, grouped))


def predicate_of(conditions: Iterable[Condition]) -> Q:
    predicate = Q()
    for each in conditions:
        # The lookup comes from the allow-list, never from the client's text.
        condition = Q((each.lookup, each.value))
        predicate &= ~condition if each.negated else condition
    return predicate


def conditions(surface: QuerySurface, grouped: dict[str, list[str]]) -> tuple[Condition, ...]:
    found = []
    for name, raw in grouped.items():
        negated = name.startswith(NEGATION) and name[1:] in surface.filters
        spec = surface.filters.get(name[1:] if negated else name)
        if spec is None:
            continue
        try:
            value = parse_filter_value(spec.field, spec.operator, raw)
        except ValueError as exc:
            raise invalid(name, str(exc)) from None
        found.append(Condition(spec.lookup, spec.operator, value, negated))
    return tuple(found)


def _ordering(surface: QuerySurface, sent: list[str] | None) -> tuple[OrderTerm, ...]:
    tokens = sent if sent is not None else list(surface.default_ordering)
    if len(tokens) > MAX_ORDER_TERMS + 1:
        raise invalid("order_by", f"accepts at most {MAX_ORDER_TERMS} fields")
    terms: list[OrderTerm] = []
    seen: set[str] = set()
    for token in tokens:
        name = token.strip().removeprefix("-")
        if name == "pk":
            break
        key = surface.ordering_keys.get(name)
        if key is None:
            allowed = ", ".join(sorted(surface.ordering_keys))
            raise invalid("order_by", f"cannot order by {name!r}; allowed: {allowed}")
        if name in seen:
            continue  # a repeated field: its first position wins
        seen.add(name)
        terms.append(OrderTerm(key, token.strip().startswith("-")))
    # The primary key ends every ordering, so pages are stable under ties.
    terms.append(OrderTerm(OrderKey("pk", surface.pk), descending=False))
    return tuple(terms)


def _after(
    cursor: str | None, ordering: tuple[OrderTerm, ...], fingerprint: str
) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        values = decode_cursor(cursor, [term.token for term in ordering], fingerprint)
        return [cursor_value(t.key, v) for t, v in zip(ordering, values, strict=True)]
    except ValueError as exc:
        raise invalid("cursor", str(exc)) from None


def _fields(surface: QuerySurface, sent: list[str] | None) -> tuple[str, ...]:
    if sent is None:
        return surface.selectable
    names = [name.strip() for name in sent if name.strip()]
    unknown = [name for name in names if name not in surface.selectable]
    if unknown or not names:
        allowed = ", ".join(surface.selectable)
        raise invalid("fields", f"names unknown fields {unknown}; allowed: {allowed}")
    # The schema's order, whatever the client's: one representation (and ETag) per selection.
    chosen = set(names)
    return tuple(name for name in surface.selectable if name in chosen)


def search(surface: QuerySurface, raw: str | None, full_text: bool) -> Q:
    if raw is None or not surface.search:
        return Q()
    terms = raw.split()
    if len(terms) > MAX_SEARCH_TERMS or any(len(t) > 200 or "\x00" in t for t in terms):
        raise invalid("search", f"accepts at most {MAX_SEARCH_TERMS} terms of 200 characters")
    predicate = Q()
    for term in terms:
        any_field = Q()
        for field in surface.search:
            # Full-text search needs django.contrib.postgres; elsewhere "@" is icontains.
            mode = "icontains" if field.mode == "search" and not full_text else field.mode
            any_field |= Q((f"{field.lookup}__{mode}", term))
        predicate &= any_field
    return predicate


def _count(raw: str | None, prefer: str) -> bool:
    if raw is not None and raw != "exact":
        raise invalid("count", "accepts only 'exact'")
    preferences = {p.strip().lower() for p in prefer.split(",")}
    return raw == "exact" or "count=exact" in preferences
