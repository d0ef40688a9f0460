"""Per-resource overrides, in the vocabulary of Django's ``ModelAdmin``.

Every attribute has a safe default, so ``Resource()`` means "introspect everything".
Precedence: an explicit override here > the introspected default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Q
from pydantic import BaseModel

from .security import Access, Authenticator, FieldScopes, Scopes


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final[Any] = _Unset()


@dataclass(frozen=True)
class Resource:
    """How one model is exposed.

    name:        path segment (``departments``); default: the related accessor on the
                 parent, or the slugified plural verbose name for top-level resources.
    singular:    stem of the path parameter (``department`` → ``{department_id}``).
    expose:      ``False`` hides the model; models that would have nested under it become
                 top-level (``djgateway routes`` says why). Naming a proxy model exposes it.
    parent:      name of the foreign key to nest under, or ``None`` to force top level.
    fields:      allow-list of exposed fields; also the only way to expose sensitive ones.
    exclude:     fields never exposed.
    read_only:   exposed fields clients may not write.
    read/create/update: explicit pydantic schemas replacing the generated ones
                 (``create`` is used for POST and PUT, ``update`` for PATCH).
    schema_name: stem of the OpenAPI component names (default: the model's class name).

    List queries (defaults: the model's ModelAdmin options where registered, else introspected):
    filter_fields:   fields clients may filter on (default: every exposed, filterable field,
                     plus the exposed fields of exposed to-one related resources).
    ordering:        default ordering (``["-founded", "name"]``); the primary key always ends it.
    ordering_fields: fields clients may order by (default: the filterable scalar fields).
    search_fields:   fields searched by ``?search=`` (admin prefixes ``^``, ``=``, ``@``).
    list_per_page:   default page size; ``max_page_size`` caps ``?limit=``.
    aggregate_fields / group_by_fields: what ``:aggregate/{function}/{field}`` may use.
    max_groups:      most groups an aggregate returns.

    Security (defaults: the ``Gateway``'s options):
    security:        an ``Authenticator`` (``JWTBearer``, ``DjangoSessionAuth``); ``None`` opens
                     the resource; unset inherits the parent's, then the gateway's.
    scopes:          ``Scopes(get=[...], post=[...], ...)``; unset inherits from the parent.
    objects_filter:  ``callable(access) -> Q`` restricting every query of this resource and of
                     everything nested under it.
    tenant_field:    the field filtered by and set from ``access.tenant_id`` (``None``: none);
                     default: the gateway's ``tenant_field`` when the model has it.
    field_scopes:    ``{"salary": FieldScopes(read=[...], write=[...])}``.

    Writes:
    delete_status:   ``("status", "deleted")``: DELETE sets the field instead of removing the
                     row; such rows are hidden (lists show them only when filtered on the field).
    require_if_match: writes without ``If-Match`` are refused with 428.
    writable_children: nested resources (by path segment, e.g. ``["departments"]``) that a POST
                     may create together with the object, to any depth, in one transaction.
                     A PUT synchronises them: items with a primary key (or the child's
                     ``sync_matching`` natural key) are replaced, others created, and with
                     ``sync_delete=True`` children missing from the list are deleted.
    bulk_max:        allow POSTing a JSON array of up to this many objects (all or nothing).

    write_only:      fields a body may set but no read shows (default for a user model with
                     ``set_password``: ``["password"]``, hashed before it is stored).
    before_save:     ``callable(instance, values, created)``, called after the body's values
                     are set on the instance and before it is validated and saved (hash a
                     password, derive a column). ``values`` holds the body's own keys.
    save:            ``callable(instance, created)`` saving a validated instance instead of
                     ``instance.save()``: rows created through a method (treebeard's
                     ``add_child``). Default for a treebeard node: ``add_root`` on create.

    Fast paths (see ``djgateway routes``):
    deterministic_manager: the model's default manager has its own ``get_queryset`` but
                     returns the same rows for every request (no tenant, user, time or
                     database choice in it), so reads may be compiled once and reused.
    """

    name: str | None = None
    singular: str | None = None
    expose: bool = True
    parent: str | None = UNSET
    fields: Sequence[str] | None = None
    exclude: Sequence[str] = ()
    read_only: Sequence[str] = ()
    read: type[BaseModel] | None = None
    create: type[BaseModel] | None = None
    update: type[BaseModel] | None = None
    schema_name: str | None = None
    filter_fields: Sequence[str] | None = None
    ordering: Sequence[str] | None = None
    ordering_fields: Sequence[str] | None = None
    search_fields: Sequence[str] | None = None
    list_per_page: int | None = None
    max_page_size: int = 1000
    aggregate_fields: Sequence[str] | None = None
    group_by_fields: Sequence[str] | None = None
    max_groups: int = 1000
    security: Authenticator | None = UNSET
    scopes: Scopes | None = None
    objects_filter: Callable[[Access], Q] | None = None
    tenant_field: str | None = UNSET
    field_scopes: Mapping[str, FieldScopes] | None = None
    delete_status: tuple[str, Any] | None = None
    require_if_match: bool = False
    writable_children: Sequence[str] = ()
    sync_delete: bool = False
    sync_matching: Sequence[str] = ()
    bulk_max: int | None = None
    deterministic_manager: bool = False
    write_only: Sequence[str] | None = None
    before_save: Callable[[Any, dict[str, Any], bool], None] | None = None
    save: Callable[[Any, bool], None] | None = None

    @property
    def parent_is_set(self) -> bool:
        return self.parent is not UNSET
