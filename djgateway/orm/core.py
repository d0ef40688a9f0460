"""What reads and writes of one resource share: the rows under a path that a caller may see,
the parent check, compiled statements, and the fast paths the plan allows."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.apps import apps
from django.db import connections, models, router
from django.db.models import QuerySet
from pydantic import BaseModel

from ..errors import not_found
from ..introspect import FieldInfo
from ..plan import GatewayPlan, ResourcePlan
from ..schemas import ResourceSchemas, field_key
from ..security import Access
from .prepared import Statement, StatementCache, prepare
from .rows import plain_keys
from .visibility import visible

PathIds = Mapping[str, Any]
MAX_STATEMENTS = 256  # compiled queries kept per resource, least recently used out


class StoreCore:
    def __init__(self, plan: GatewayPlan, resource: ResourcePlan, schemas: ResourceSchemas) -> None:
        self.plan = plan
        self.resource = resource
        self.schemas = schemas
        self.by_label = {r.label: r for r in plan}
        self.model: type[models.Model] = resource.model.model
        self.parent = plan.get(resource.parent_key) if resource.parent_key else None
        self.read_path = resource.read_path
        self.compiled = resource.read_path.compiled  # see plan/read_path.py
        self.statements = StatementCache(MAX_STATEMENTS)
        self.path_key_fields: dict[str, Any] = {
            link.param: plan.get(link.resource_key).model.model._meta.pk
            for link in resource.ancestors
        }
        self.columns, self.many_to_many = _read_columns(resource, schemas.read)
        # Keys read without the model round trip (rows.py); the rest take the model path.
        self.plain = (
            plain_keys(schemas.read, self.model, datetimes=self.read_path.plain_datetimes)
            if self.read_path.plain
            else frozenset()
        )
        self.writable = {field_key(f): f for f in (*resource.create_only, *resource.writable)}
        self.writable.update({f.name: f for f in self.writable.values()})
        self.error_keys = {f.name: field_key(f) for f in resource.fields}
        connection = connections[self._db]
        self.full_text = connection.vendor == "postgresql" and apps.is_installed(
            "django.contrib.postgres"
        )

    def retrieve(
        self, ids: PathIds, pk: Any, caller: Any, *, just_written: bool = False
    ) -> bytes:  # pragma: no cover - implemented by reads.Reads
        raise NotImplementedError

    @property
    def _db(self) -> str:
        """The database reads go to (a router may choose it)."""
        return router.db_for_read(self.model) or "default"

    @property
    def _write_db(self) -> str:
        """The database writes go to, and their transaction."""
        return router.db_for_write(self.model) or "default"

    def _scoped(
        self, ids: PathIds, access: Access, include_deleted: bool = False
    ) -> models.QuerySet[Any]:
        """Rows under the parents named on the path that the caller may see."""
        rows = visible(self.plan, self.resource, access, include_deleted)
        return rows.filter(**_path_filter(self.resource, ids))

    def _shows_deleted(self, filtered: frozenset[str]) -> bool:
        """Soft-deleted rows appear only when the client filters on the status explicitly."""
        status = self.resource.delete_status
        return status is not None and status[0].attname in filtered

    def _require_parent(self, ids: PathIds, access: Access) -> None:
        """A parent that does not exist on this path, or that the caller may not see (its
        row filters, its ancestors', soft-deleted), is a 404."""
        parent = self.parent
        if parent is None:
            return

        def candidates(ids: PathIds) -> QuerySet[Any]:
            parents = visible(self.plan, parent, access, as_ancestor=True)
            return parents.filter(pk=ids[parent.id_param], **_path_filter(parent, ids))

        reused = None
        if parent.read_path.compiled:
            reused = self._statement(("parent",), lambda ids: candidates(ids).values("pk")[:1])
        found = bool(reused.run(ids)) if reused else candidates(ids).exists()
        if not found:
            raise not_found()

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
        and the primary key, as asked. ``None`` when this resource's reads may not be
        compiled (plan/read_path.py) or the query cannot be reused."""
        if not self.compiled:
            return None

        def compile_() -> Statement | None:
            keys = dict(self.path_key_fields) if path else {}
            if pk:
                keys["pk"] = self.model._meta.pk
            keys.update(extra or {})
            return prepare(build, keys, python=python)

        return self.statements.get(shape, compile_)


def _path_filter(resource: ResourcePlan, ids: PathIds) -> dict[str, Any]:
    """The resource's ancestors as named by the path ids (``department__company__pk=...``)."""
    return {f"{link.lookup}__pk": ids[link.param] for link in resource.ancestors}


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
