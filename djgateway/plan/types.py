"""The route plan: plain data describing resources and operations, built before FastAPI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Q
from pydantic import BaseModel

from ..errors import Problem
from ..introspect import FieldInfo, ModelInfo
from ..security import Access, Authenticator, FieldScopes, RequiredScopes, Scopes
from .query_surface import QuerySurface
from .read_path import ReadPath

if TYPE_CHECKING:
    from .actions import ActionPlan

Action = Literal[
    "list",
    "retrieve",
    "create",
    "replace",
    "update",
    "delete",
    "aggregate",
    "link",
    "unlink",
    "list_related",
]

ACTION_METHODS: dict[Action, str] = {
    "list": "GET",
    "retrieve": "GET",
    "create": "POST",
    "replace": "PUT",
    "update": "PATCH",
    "delete": "DELETE",
    "aggregate": "GET",
    "link": "PUT",
    "unlink": "DELETE",
    "list_related": "GET",
}
ACTION_STATUS: dict[Action, int] = {
    "list": 200,
    "retrieve": 200,
    "create": 201,
    "replace": 200,
    "update": 200,
    "delete": 204,
    "aggregate": 200,
    "link": 204,
    "unlink": 204,
    "list_related": 200,
}


@dataclass(frozen=True)
class Operation:
    action: Action
    method: str
    path: str
    operation_id: str
    status_code: int
    summary: str
    relation: RelatedRoute | None = None  # link / unlink / list_related of a many-to-many


@dataclass(frozen=True)
class RelatedRoute:
    """A many-to-many field seen as a sub-collection: ``/products/{product_id}/tags``."""

    field: FieldInfo
    target_key: str  # the exposed resource of the related rows
    target_param: str  # "tag_id"
    reverse_lookup: str  # from the target back to this model, e.g. "products"


@dataclass(frozen=True)
class ParentLink:
    """One ancestor of a nested resource, as seen from the resource's own model."""

    param: str  # path parameter, e.g. "company_id"
    lookup: str  # ORM path from the resource's model to the ancestor, e.g. "department__company"
    pk: FieldInfo  # the ancestor's primary key (types the path parameter)
    resource_key: str


@dataclass(frozen=True)
class ExplicitSchemas:
    read: type[BaseModel] | None = None
    create: type[BaseModel] | None = None
    update: type[BaseModel] | None = None


@dataclass(frozen=True)
class GatewayOptions:
    """Gateway-wide defaults for what ``Resource`` leaves unset."""

    security: Authenticator | None = None
    scopes: Scopes | None = None
    tenant_field: str | None = "tenant_id"
    fast_paths: bool = True  # False: every read takes the queryset and pydantic path


@dataclass(frozen=True)
class ResourceSecurity:
    authenticator: Authenticator | None = None
    own_scopes: Scopes | None = None  # as declared (auto scopes resolved)
    scope_chain: tuple[tuple[str, Scopes | None], ...] = ()  # outermost ancestor .. this one
    required: dict[str, RequiredScopes] = field(default_factory=dict)  # per action
    objects_filter: Callable[[Access], Q] | None = None
    tenant_field: FieldInfo | None = None
    field_scopes: dict[str, FieldScopes] = field(default_factory=dict)  # by body key

    @property
    def secured(self) -> bool:
        return self.authenticator is not None

    @property
    def filters_rows(self) -> bool:
        return self.tenant_field is not None or self.objects_filter is not None


@dataclass(frozen=True)
class ResourcePlan:
    key: str  # "companies.departments"
    model: ModelInfo
    segment: str
    singular: str
    id_param: str
    parent_key: str | None
    parent_field: FieldInfo | None  # the foreign key that links to the parent
    nesting: str  # why the resource nested where it did (or stayed top-level)
    ancestors: tuple[ParentLink, ...]  # outermost first
    collection_path: str
    item_path: str
    fields: tuple[FieldInfo, ...]  # exposed, readable
    writable: tuple[FieldInfo, ...]  # settable by POST / PUT / PATCH
    create_only: tuple[FieldInfo, ...]  # settable by POST only (client-chosen primary keys)
    hidden: tuple[str, ...]  # fields not exposed, with the reason, for `djgateway routes`
    schema_name: str
    tag: str
    operations: tuple[Operation, ...]
    explicit: ExplicitSchemas = field(default_factory=ExplicitSchemas)
    query: QuerySurface = field(default_factory=QuerySurface)
    security: ResourceSecurity = field(default_factory=ResourceSecurity)
    delete_status: tuple[FieldInfo, Any] | None = None  # soft delete: (field, value)
    require_if_match: bool = False
    writable_children: tuple[str, ...] = ()  # keys of child resources written with the parent
    sync_delete: bool = False  # a PUT deletes writable children missing from its lists
    sync_matching: tuple[str, ...] = ()  # natural key matching this resource's rows in a sync
    bulk_max: int | None = None
    read_path: ReadPath = field(default_factory=ReadPath)  # fast paths its reads may take
    write_only: tuple[FieldInfo, ...] = ()  # in writable, never in fields: set, not shown
    before_save: Callable[[Any, dict[str, Any], bool], None] | None = None
    save: Callable[[Any, bool], None] | None = None

    @property
    def label(self) -> str:
        return self.model.label

    def operation(self, action: Action) -> Operation:
        return next(op for op in self.operations if op.action == action)


@dataclass(frozen=True)
class GatewayPlan:
    resources: tuple[ResourcePlan, ...]  # parents before children, siblings by segment
    warnings: tuple[Problem, ...] = ()  # what was left out, and why (``djgateway routes``)
    actions: tuple[ActionPlan, ...] = ()  # custom endpoints (``Gateway.action``)

    def __iter__(self) -> Iterator[ResourcePlan]:
        return iter(self.resources)

    def get(self, key_or_label: str) -> ResourcePlan:
        for resource in self.resources:
            if key_or_label in (resource.key, resource.label):
                return resource
        raise KeyError(key_or_label)

    def actions_of(self, key: str) -> tuple[ActionPlan, ...]:
        return tuple(action for action in self.actions if action.resource_key == key)

    def children(self, key: str | None) -> tuple[ResourcePlan, ...]:
        return tuple(r for r in self.resources if r.parent_key == key)

    def lineage(self, resource: ResourcePlan) -> tuple[ResourcePlan, ...]:
        """The resource and its ancestors, nearest first."""
        ancestors = (self.get(link.resource_key) for link in reversed(resource.ancestors))
        return (resource, *ancestors)
