"""Reads and writes of one resource, always scoped by the parent chain taken from the path."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, transaction
from django.db.models import Aggregate, Avg, Count, F, Max, Min, Q, QuerySet, Sum
from pydantic import BaseModel
from pydantic_core import to_json

from ..errors import ApiError, FieldError, forbidden, not_found, validation_failed
from ..introspect import FieldInfo
from ..plan import GatewayPlan, ResourcePlan
from ..plan.types import RelatedRoute
from ..query import AggregateQuery, ListQuery
from ..query.keyset import rows_after
from ..schemas import AggregateGroup, AggregateResult, ResourceSchemas, field_key
from ..security import Access
from .cleaning import full_clean
from .etags import etag_of, match_fails
from .nested import Created, affected, create_children, located, render_json, sync_children
from .pages import (
    annotate_counts,
    condition_fields,
    condition_values,
    cursor_after,
    order_expression,
    page_shape,
    with_values,
)
from .prepared import Statement, prepare
from .rows import fetch, plain_keys
from .translate import database_errors, validation_error
from .visibility import Caller, visible

PathIds = Mapping[str, Any]
MAX_STATEMENTS = 256  # compiled queries kept per resource
Rows = list[dict[str, Any]]


class ResourceStore:
    def __init__(self, plan: GatewayPlan, resource: ResourcePlan, schemas: ResourceSchemas) -> None:
        self.plan = plan
        self.resource = resource
        self.schemas = schemas
        self.by_label = {r.label: r for r in plan}
        self.child_stores: dict[str, ResourceStore] = {}  # writable children, set by the router
        self.model: type[models.Model] = resource.model.model
        self.parent = plan.get(resource.parent_key) if resource.parent_key else None
        self.filters_rows = _has_row_filter(plan, resource)
        self.attnames = [field.attname for field in self.model._meta.concrete_fields]
        self.statements: dict[Hashable, Statement | None] = {}
        self.path_key_fields: dict[str, Any] = {
            link.param: plan.get(link.resource_key).model.model._meta.pk
            for link in resource.ancestors
        }
        # The parent link is set from the path, which every write checks first.
        parent_field = resource.parent_field if self.parent else None
        self.trusted_fields = (parent_field.name,) if parent_field else ()
        # A row found under the path proves its parents are there and visible (the row
        # filters of the whole chain apply to it), unless the parent's default manager hides
        # rows of its own.
        self.parent_manager_filters = self.parent is not None and bool(
            self.parent.model.model._default_manager.all().query.where
        )
        self.columns, self.many_to_many = _read_columns(resource, schemas.read)
        # Keys read without the model round trip (see rows.py); the rest take the model path.
        self.plain = plain_keys(schemas.read, self.model)
        self.writable = {field_key(f): f for f in (*resource.create_only, *resource.writable)}
        self.writable.update({f.name: f for f in self.writable.values()})
        self.error_keys = {f.name: field_key(f) for f in resource.fields}
        connection = connections[self._db]
        self.full_text = connection.vendor == "postgresql" and apps.is_installed(
            "django.contrib.postgres"
        )

    # -- reads ---------------------------------------------------------------------------

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
            # A plain page without row filters, search or cursor varies only in the path ids
            # and the filter values: compile it once per shape.
            varies = self.filters_rows or related_to or query.searched or query.after is not None
            keyed = condition_fields(self.model, query.conditions) if plain and not varies else None
            statement = None
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
            return to_json(page)
        result = self.schemas.page.model_validate(page)
        return result.model_dump_json(exclude_unset=True).encode()

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
            # Without row filters the query depends on the path only: compile it once.
            reusable = plain and (just_written or not self.filters_rows)
            statement = (
                self._statement(
                    ("retrieve", columns, just_written),
                    lambda values: window(values, values["pk"]),
                    pk=True,
                    path=not just_written,  # a row just written is read by its key alone
                )
                if reusable
                else None
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
            return to_json(row)
        if hidden:  # field scopes: the fields this caller may not read are left out
            item = self.schemas.list_item.model_validate(row)
            return item.model_dump_json(exclude_unset=True).encode()
        return self.schemas.read.model_validate(row).model_dump_json().encode()

    def _statement(
        self,
        shape: Hashable,
        build: Callable[[PathIds], QuerySet[Any]],
        *,
        pk: bool = False,
        path: bool = True,
        python: bool = False,
        extra: Mapping[str, Any] | None = None,
    ) -> Statement | None:
        """The compiled query of one shape, made on first use; its keys are the path ids
        and the primary key, as asked. Shapes a client can vary (page size, fields) are
        capped per resource."""
        if shape not in self.statements:
            if len(self.statements) >= MAX_STATEMENTS:
                self.statements.clear()
            keys = dict(self.path_key_fields) if path else {}
            if pk:
                keys["pk"] = self.model._meta.pk
            keys.update(extra or {})
            self.statements[shape] = prepare(build, keys, python=python)
        return self.statements[shape]

    # -- writes --------------------------------------------------------------------------

    def create_many(self, ids: PathIds, payloads: list[BaseModel], caller: Caller) -> list[Created]:
        """Bulk create: all or nothing; an error names the index of the failing item."""
        with database_errors(), transaction.atomic(using=self._db):
            self._require_parent(ids, caller.access)
            created = []
            for index, payload in enumerate(payloads):
                with located(index):
                    created.append(self.create_tree(ids, payload, caller, parent_known=True))
        return created

    def create_tree(
        self, ids: PathIds, payload: BaseModel, caller: Caller, *, parent_known: bool = False
    ) -> Created:
        """Insert one row and the writable children in its payload, in one transaction.

        ``parent_known``: the parent was created or checked in this transaction already.
        """
        values = self._own_values(payload)
        self._check_writable(values, caller)
        # Inside a bigger write no savepoint is needed: any error rolls the whole write back.
        with database_errors(), transaction.atomic(using=self._db, savepoint=not parent_known):
            if not parent_known:
                self._require_parent(ids, caller.access)
            instance = self.model()
            if self.resource.parent_field and self.parent:
                setattr(instance, self.resource.parent_field.attname, ids[self.parent.id_param])
            tenant = self.resource.security.tenant_field
            if tenant is not None:
                setattr(instance, tenant.attname, caller.access.tenant_id)
            self._assign(instance, values)
            self._check_references(values, caller.access)
            self._validate(instance)
            instance.save(force_insert=True)
            self._set_many_to_many(instance, values)
            children = create_children(self, ids, instance.pk, payload, caller)
        return Created(instance.pk, children)

    def update(
        self,
        ids: PathIds,
        pk: Any,
        payload: BaseModel,
        caller: Caller,
        *,
        replace: bool,
        if_match: str | None = None,
    ) -> None:
        """PATCH sets the keys sent; PUT also resets every other writable field to its default.

        A field-scoped field left out of a PUT keeps its value. ``if_match`` is checked against
        the row as locked for this write, so two writes with the same ETag never both win.
        """
        values = self._own_values(payload)
        self._check_writable(values, caller)
        with database_errors(), transaction.atomic(using=self._db):
            instance = self._locked(ids, pk, caller, if_match)
            if replace:
                values = {**self._defaults(payload), **values}
            # Primary keys are chosen once, on create.
            values = {k: v for k, v in values.items() if not self.writable[k].primary_key}
            self._assign(instance, values)
            self._check_references(values, caller.access)
            self._validate(instance)
            _save_existing(instance)
            self._set_many_to_many(instance, values)

    def sync(
        self,
        ids: PathIds,
        pk: Any,
        payload: BaseModel,
        caller: Caller,
        *,
        if_match: str | None = None,
        dry_run: bool = False,
        max_affected: int | None = None,
    ) -> bytes:
        """PUT with children: replace the row and synchronise its writable children.

        ``dry_run`` answers what would happen and rolls everything back; ``max_affected``
        refuses (400, nothing written) a sync that would touch more rows.
        """
        with database_errors(), transaction.atomic(using=self._db):
            self.update(ids, pk, payload, caller, replace=True, if_match=if_match)
            report = sync_children(self, ids, pk, payload, caller)
            touched = 1 + affected(report)
            if max_affected is not None and touched > max_affected:
                raise ApiError(
                    400,
                    "Bad Request",
                    f"This change would touch {touched} rows; Prefer: max-affected={max_affected}.",
                )
            body = json.loads(self.retrieve(ids, pk, caller, just_written=True))
            body["sync"] = report
            if dry_run:
                transaction.set_rollback(True, using=self._db)
        return render_json(body)

    def sync_candidates(self, ids: PathIds, access: Access) -> dict[Any, tuple[Any, ...]]:
        """This parent's children as the caller sees them: primary key → natural key."""
        matching = self.resource.sync_matching
        rows = self._scoped(ids, access).values_list("pk", *matching)
        return {row[0]: tuple(row[1:]) for row in rows}

    def sync_target(self, item: BaseModel, existing: dict[Any, tuple[Any, ...]]) -> Any:
        """The existing child an item stands for: by primary key, else by natural key."""
        key = field_key(self.resource.model.pk)
        if key in item.model_fields_set and getattr(item, key) is not None:
            pk = getattr(item, key)
            if pk not in existing:
                raise validation_failed(
                    [FieldError(("body", key), "No such child of this parent.", "does_not_exist")]
                )
            return pk
        matching = self.resource.sync_matching
        if matching:
            natural = tuple(getattr(item, name, None) for name in matching)
            for pk, values in existing.items():
                if values == natural:
                    return pk
        return None

    def related_rows(self, ids: PathIds, pk: Any, related: RelatedRoute, caller: Caller) -> Q:
        """The filter of the rows linked to row ``pk`` (404 if the caller may not see it)."""
        if field_key(related.field) in caller.hidden:
            raise not_found()
        with database_errors():
            if not self._scoped(ids, caller.access).filter(pk=pk).exists():
                raise not_found()
        return Q((f"{related.reverse_lookup}__pk", pk))

    def link(
        self,
        ids: PathIds,
        pk: Any,
        related: RelatedRoute,
        target_pk: Any,
        caller: Caller,
        *,
        add: bool,
    ) -> None:
        """Link (``add``) or unlink one related row; both rows must be visible to the caller."""
        self._check_writable({field_key(related.field): target_pk}, caller)
        with database_errors(), transaction.atomic(using=self._db):
            instance = self._scoped(ids, caller.access).filter(pk=pk).first()
            target = self.plan.get(related.target_key)
            if (
                instance is None
                or not visible(self.plan, target, caller.access).filter(pk=target_pk).exists()
            ):
                raise not_found()
            links = getattr(instance, related.field.name)
            if add:
                links.add(target_pk)
                return
            if not links.filter(pk=target_pk).exists():
                raise not_found("The two rows are not linked.")
            links.remove(target_pk)

    def delete(self, ids: PathIds, pk: Any, caller: Caller, if_match: str | None = None) -> None:
        """Delete the row, or with ``delete_status`` mark it deleted (it then reads as gone)."""
        with database_errors(), transaction.atomic(using=self._db):
            instance = self._locked(ids, pk, caller, if_match)
            if self.resource.delete_status is None:
                instance.delete()
                return
            field, value = self.resource.delete_status
            setattr(instance, field.attname, value)
            _save_existing(instance, update_fields=[field.attname])

    def _locked(self, ids: PathIds, pk: Any, caller: Caller, if_match: str | None) -> Any:
        """The row to write, locked until the transaction ends; 412 if ``if_match`` is stale."""

        def locked(ids: PathIds) -> QuerySet[Any]:
            rows = self._scoped(ids, caller.access).select_for_update().filter(pk=ids["pk"])
            return rows.values(*self.attnames)[:1]  # no ORDER BY: the key names one row

        statement = None
        if not self.filters_rows:
            statement = self._statement(("lock",), locked, pk=True, python=True)
        keys = {**ids, "pk": pk}
        found = statement.run(keys) if statement else list(locked(keys))
        if not found:
            raise not_found()
        values = [found[0][attname] for attname in self.attnames]
        instance = self.model.from_db(self._db, self.attnames, values)
        if if_match is not None and match_fails(if_match, etag_of(self.retrieve(ids, pk, caller))):
            raise ApiError(
                412, "Precondition Failed", "The resource has changed; fetch it and retry."
            )
        return instance

    # -- helpers -------------------------------------------------------------------------

    @property
    def _db(self) -> str:
        return self.model._default_manager.db

    def _scoped(
        self, ids: PathIds, access: Access, include_deleted: bool = False
    ) -> models.QuerySet[Any]:
        """Rows under the parents named on the path that the caller may see."""
        rows = visible(self.plan, self.resource, access).filter(**_path_filter(self.resource, ids))
        if self.resource.delete_status is not None and not include_deleted:
            field, value = self.resource.delete_status
            rows = rows.exclude(**{field.attname: value})
        return rows

    def _shows_deleted(self, filtered: frozenset[str]) -> bool:
        """Soft-deleted rows appear only when the client filters on the status explicitly."""
        status = self.resource.delete_status
        return status is not None and status[0].attname in filtered

    def _require_parent(self, ids: PathIds, access: Access) -> None:
        """A parent that does not exist on this path, or that the caller may not see, is a 404."""
        parent = self.parent
        if parent is None:
            return

        def candidates(ids: PathIds) -> QuerySet[Any]:
            parents = visible(self.plan, parent, access)
            return parents.filter(pk=ids[parent.id_param], **_path_filter(parent, ids))

        # Without row filters on the parent's chain the check depends on the path only.
        reused = None
        if not _has_row_filter(self.plan, parent):
            reused = self._statement(("parent",), lambda ids: candidates(ids).values("pk")[:1])
        found = bool(reused.run(ids)) if reused else candidates(ids).exists()
        if not found:
            raise not_found()

    def _check_writable(self, values: Mapping[str, Any], caller: Caller) -> None:
        denied = sorted(set(values) & caller.unwritable)
        if denied:
            raise forbidden(
                f"You may not set: {', '.join(denied)}.",
                [FieldError(("body", key), "not allowed", "field_scope") for key in denied],
            )

    def _check_references(self, values: Mapping[str, Any], access: Access) -> None:
        """Foreign keys may only point to rows the caller can see (else: as if missing)."""
        for key, value in values.items():
            field = self.writable[key]
            target = self.by_label.get(field.relation.target) if field.relation else None
            if target is None or value is None or not _has_row_filter(self.plan, target):
                continue
            wanted = set(value) if field.is_many_to_many else {value}
            if visible(self.plan, target, access).filter(pk__in=wanted).count() != len(wanted):
                raise validation_failed(
                    [FieldError(("body", key), "No such object.", "does_not_exist")]
                )

    def _own_values(self, payload: BaseModel) -> dict[str, Any]:
        """The keys a body sets on this row (children and a sync item's key are not its own)."""
        values = payload.model_dump(include=payload.model_fields_set)
        return {k: v for k, v in values.items() if k in self.writable}

    def _defaults(self, payload: BaseModel) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        field_scoped = self.resource.security.field_scopes
        for key in type(payload).model_fields:
            if key in field_scoped or key not in self.writable:
                continue
            field = self.writable[key]
            django_field: Any = self.model._meta.get_field(field.name)
            defaults[key] = [] if field.is_many_to_many else django_field.get_default()
        return defaults

    def _assign(self, instance: models.Model, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            field = self.writable[key]
            if not field.is_many_to_many:
                setattr(instance, field.attname, value)

    def _validate(self, instance: models.Model) -> None:
        try:
            full_clean(instance, trusted=self.trusted_fields)
        except ValidationError as exc:
            raise validation_error(exc, self.error_keys, self.writable) from None

    def _set_many_to_many(self, instance: models.Model, values: Mapping[str, Any]) -> None:
        for key, ids in values.items():
            field = self.writable[key]
            if not field.is_many_to_many:
                continue
            wanted = set(ids)
            related = getattr(instance, field.name)
            existing = set(
                related.model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True)
            )
            missing = wanted - existing
            if missing:
                shown = ", ".join(sorted(str(m) for m in missing))
                raise validation_failed(
                    [FieldError(("body", key), f"Unknown ids: {shown}.", "does_not_exist")]
                )
            related.set(list(wanted))

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


def _save_existing(instance: models.Model, update_fields: list[str] | None = None) -> None:
    """UPDATE only: a write racing a delete must not bring the row back (no INSERT fallback)."""
    try:
        instance.save(force_update=True, update_fields=update_fields)
    except DatabaseError as exc:
        if "did not affect any rows" in str(exc):
            raise not_found() from None
        raise


def _has_row_filter(plan: GatewayPlan, resource: ResourcePlan) -> bool:
    return any(level.security.filters_rows for level in plan.lineage(resource))


def _path_filter(resource: ResourcePlan, ids: PathIds) -> dict[str, Any]:
    """The resource's ancestors as named by the path ids (``department__company__pk=...``)."""
    return {f"{link.lookup}__pk": ids[link.param] for link in resource.ancestors}


def _attname(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return str(field.attname)


def _read_columns(
    resource: ResourcePlan, read_schema: type[BaseModel]
) -> tuple[list[str], dict[str, FieldInfo]]:
    columns: list[str] = []
    many: dict[str, FieldInfo] = {}
    for key in read_schema.model_fields:
        field = resource.model.field(key)
        if field.is_many_to_many:
            many[key] = field
        else:
            columns.append(key)
    return columns, many


def _many_to_many_ids(
    model: type[models.Model], field: FieldInfo, pks: Iterable[Any]
) -> dict[Any, list[Any]]:
    django_field: Any = model._meta.get_field(field.name)
    through: type[models.Model] = django_field.remote_field.through
    source = _attname(through, django_field.m2m_field_name())
    target = _attname(through, django_field.m2m_reverse_field_name())
    pairs = through._default_manager.filter(**{f"{source}__in": pks}).order_by("pk")
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for owner, related in pairs.values_list(source, target):
        grouped[str(owner)].append(related)
    return grouped
