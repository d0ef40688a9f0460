"""Reads of one resource: pages, single rows, aggregates, the rows linked to a row."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Aggregate, Avg, Count, F, Max, Min, Q, QuerySet, Sum
from pydantic_core import to_json

from ..errors import not_found
from ..introspect import FieldInfo
from ..plan.query_surface import QuerySurface, restrict
from ..plan.read_path import manager_varies
from ..plan.relations import relation_guard
from ..plan.types import RelatedRoute
from ..query import AggregateQuery, ListQuery
from ..query.keyset import rows_after
from ..schemas import AggregateGroup, AggregateResult, field_key
from .core import PathIds, StoreCore
from .pages import (
    annotate_counts,
    condition_fields,
    condition_values,
    cursor_after,
    order_expression,
    page_shape,
    with_values,
)
from .rows import fetch
from .translate import database_errors
from .visibility import Caller

Rows = list[dict[str, Any]]


def plain_json(value: Any) -> bytes:
    """JSON of plain values as the read schemas write it (non-finite floats as null)."""
    return to_json(value, inf_nan_mode="null")


class Reads(StoreCore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A row found under the path proves its parents are there and visible (the row
        # filters of the whole chain apply to it), unless the parent's default manager
        # hides rows of its own.
        parent = self.parent
        self.parent_manager_filters = parent is not None and (
            manager_varies(parent.model.model) is not None
            or bool(parent.model.model._default_manager.all().query.where)
        )
        self.relations = relation_guard(self.plan, self.resource)

    def surface(self, caller: Caller) -> QuerySurface:
        """The query names this caller may use: no field they may not read, nothing through a
        relation into rows they may not see (``plan/relations.py``)."""
        return restrict(self.relations.surface_for(caller.access), caller.hidden)

    def list_page(
        self, ids: PathIds, query: ListQuery, caller: Caller, related_to: Q | None = None
    ) -> bytes:
        """One page: 1 query, +1 per many-to-many field, +1 to count, +1 for an empty page
        of a nested resource (is the parent there at all?).

        ``related_to`` narrows the rows to those linked to another row (a many-to-many list).
        """
        include_deleted = self._shows_deleted(query.filtered)
        selected = [key for key in query.fields if key not in self.many_to_many]
        wanted_many = [key for key in query.fields if key in self.many_to_many]
        extra = [t.key.name for t in query.ordering if t.key.name not in selected]

        def filtered(ids: PathIds, predicate: Q = query.predicate) -> QuerySet[Any]:
            scoped = self._scoped(ids, caller.access, include_deleted)
            if related_to is not None:
                scoped = scoped.filter(related_to)
            return annotate_counts(scoped, query.ordering).filter(predicate)

        def window(queryset: QuerySet[Any]) -> QuerySet[Any]:
            if query.after is not None:
                queryset = queryset.filter(rows_after(query.ordering, query.after))
            queryset = queryset.order_by(*(order_expression(term) for term in query.ordering))
            return queryset.values(*selected, *extra)[query.offset : query.offset + query.limit + 1]

        plain = self.plain.issuperset(query.fields)
        with database_errors():
            count = filtered(ids).count() if query.count else None
            statement = None
            if plain and self._reusable_page(query, caller, related_to):
                keyed = condition_fields(self.model, query.conditions)
                if keyed is not None:
                    statement = self._statement(
                        page_shape(query, include_deleted),
                        lambda values: window(filtered(values, with_values(query, values))),
                        extra=keyed,
                    )
            if statement is not None:
                rows = statement.run({**ids, **condition_values(query)})
            else:
                queryset = window(filtered(ids))
                rows = fetch(queryset) if plain else list(queryset)
            if not rows or self.parent_manager_filters:
                self._require_parent(ids, caller.access)
            more = len(rows) > query.limit
            rows = rows[: query.limit]
            next_cursor = cursor_after(query, rows[-1]) if more and rows else None
            self._attach_many_to_many(rows, wanted_many)
            for row in rows:
                for name in extra:
                    row.pop(name, None)
        page: dict[str, Any] = {"items": rows, "next_cursor": next_cursor}
        if query.count:  # the page model's key order; "count" only when asked for
            page["count"] = count
        if plain:
            return plain_json(page)
        result = self.schemas.page.model_validate(page)
        return result.model_dump_json(exclude_unset=True).encode()

    def _reusable_page(self, query: ListQuery, caller: Caller, related_to: Q | None) -> bool:
        """A page that varies only in the path ids and filter values, in a shape every
        client shares (first page, default size and fields): compiled once per shape.
        Other sizes, offsets and field lists take the queryset path, so one client's
        choices cannot evict the shapes everyone uses."""
        surface = self.resource.query
        default_fields = tuple(k for k in surface.selectable if k not in caller.hidden)
        return (
            related_to is None
            and not query.searched
            and query.after is None
            and query.offset == 0
            and query.limit == surface.list_per_page
            and query.fields == default_fields
        )

    def aggregate(
        self, ids: PathIds, query: AggregateQuery, max_groups: int, caller: Caller
    ) -> bytes:
        with database_errors():
            self._require_parent(ids, caller.access)
            scoped = self._scoped(ids, caller.access, self._shows_deleted(query.filtered))
            queryset = scoped.filter(query.predicate)
            function = AGGREGATES[query.function](query.field)
            places = self.resource.query.aggregate_fields[query.field].decimal_places
            if query.function == "count":
                places = None

            def json_value(value: Any) -> Any:
                return _json(value, places)

            if not query.group_by:
                value = queryset.aggregate(value=function)["value"]
                result = AggregateResult(
                    function=query.function, field=query.field, value=json_value(value)
                )
            else:
                grouped = (
                    queryset.order_by()
                    .values(*query.group_by)
                    .annotate(value=function)
                    .order_by(*(F(name).asc(nulls_first=True) for name in query.group_by))
                )
                rows = list(grouped[: max_groups + 1])
                groups = [
                    AggregateGroup(
                        key={name: _json(row[name]) for name in query.group_by},
                        value=json_value(row["value"]),
                    )
                    for row in rows[:max_groups]
                ]
                result = AggregateResult(
                    function=query.function,
                    field=query.field,
                    groups=groups,
                    truncated=len(rows) > max_groups,
                )
        return result.model_dump_json().encode()

    def retrieve(
        self, ids: PathIds, pk: Any, caller: Caller, *, just_written: bool = False
    ) -> bytes:
        """One row; ``just_written`` returns the row a write just saved, even if row filters
        no longer match it (a company created by a caller who is not yet its employee)."""
        hidden = caller.hidden
        columns = tuple(c for c in self.columns if c not in hidden)
        many = [k for k in self.many_to_many if k not in hidden]
        plain = self.plain.issuperset(columns) and self.plain.issuperset(many)

        def window(ids: PathIds, pk: Any) -> QuerySet[Any]:
            rows = (
                self.model._default_manager.all()
                if just_written
                else self._scoped(ids, caller.access)
            )
            return rows.filter(pk=pk).order_by().values(*columns, "pk")[:1]

        with database_errors():
            statement = None
            if plain:
                statement = self._statement(
                    ("retrieve", columns, just_written),
                    lambda values: window(values, values["pk"]),
                    pk=True,
                    path=not just_written,  # a row just written is read by its key alone
                )
            if statement is not None:
                found = statement.run({"pk": pk, **ids})
            else:
                found = fetch(window(ids, pk)) if plain else list(window(ids, pk))
            if not found:
                raise not_found()
            row = found[0]
            self._attach_many_to_many([row], many)
            row.pop("pk", None)
        if plain:
            return plain_json(row)
        if hidden:  # field scopes: the fields this caller may not read are left out
            item = self.schemas.list_item.model_validate(row)
            return item.model_dump_json(exclude_unset=True).encode()
        return self.schemas.read.model_validate(row).model_dump_json().encode()

    def related_rows(self, ids: PathIds, pk: Any, related: RelatedRoute, caller: Caller) -> Q:
        """The filter of the rows linked to row ``pk`` (404 if the caller may not see it)."""
        if field_key(related.field) in caller.hidden:
            raise not_found()
        with database_errors():
            if not self._scoped(ids, caller.access).filter(pk=pk).exists():
                raise not_found()
        return Q((f"{related.reverse_lookup}__pk", pk))

    def _attach_many_to_many(self, rows: Rows, keys: Iterable[str]) -> None:
        """One query per many-to-many field for the whole page (never one per row)."""
        keys = list(keys)
        if not rows or not keys:
            return
        pks = [row["pk"] for row in rows]
        for key in keys:
            by_owner = _many_to_many_ids(self.model, self.many_to_many[key], pks)
            for row in rows:
                # str(): a plain read holds a UUID key as its text (rows.py)
                row[key] = by_owner.get(str(row["pk"]), [])


AGGREGATES: dict[str, type[Aggregate]] = {
    "count": Count,
    "sum": Sum,
    "avg": Avg,
    "min": Min,
    "max": Max,
}


def _json(value: Any, decimal_places: int | None = None) -> Any:
    """Aggregate values as JSON: decimals as strings (like the read schemas), dates ISO.

    Results over a decimal column are rounded to its decimal places, the same on every database.
    """
    if decimal_places is not None and isinstance(value, decimal.Decimal | float | int):
        exponent = decimal.Decimal(1).scaleb(-decimal_places)
        return str(decimal.Decimal(str(value)).quantize(exponent, decimal.ROUND_HALF_EVEN))
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _attname(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return str(field.attname)


def _many_to_many_ids(
    model: type[models.Model], field: FieldInfo, pks: Iterable[Any]
) -> dict[Any, list[Any]]:
    if field.relation is not None and field.relation.through_manager:
        return _names_through_manager(model, field, pks)
    django_field: Any = model._meta.get_field(field.name)
    through: type[models.Model] = django_field.remote_field.through
    source = _attname(through, django_field.m2m_field_name())
    target = _attname(through, django_field.m2m_reverse_field_name())
    pairs = through._default_manager.filter(**{f"{source}__in": pks}).order_by("pk")
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for owner, related in pairs.values_list(source, target):
        grouped[str(owner)].append(related)
    return grouped


def _names_through_manager(
    model: type[models.Model], field: FieldInfo, pks: Iterable[Any]
) -> dict[Any, list[Any]]:
    """A many-to-many kept by a manager (taggit): joined like any relation, ordered by name."""
    assert field.relation is not None
    name = f"{field.name}__{field.relation.target_field.name}"
    pairs = (
        model._base_manager.filter(pk__in=pks, **{f"{name}__isnull": False})
        .order_by("pk", name)
        .values_list("pk", name)
    )
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for owner, related in pairs:
        grouped[str(owner)].append(related)
    return grouped
