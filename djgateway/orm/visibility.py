"""What a caller may see: one rule for every channel (reads, writes, syncs, links, filters).

A row is visible when every level of its chain lets the caller see it:

- the resource's own level: its tenant and ``objects_filter`` evaluated with the access the
  request was let in with (its scope is the one the action required), and, unless the caller
  asks for them, not soft-deleted;
- each ancestor: its tenant, its ``objects_filter`` evaluated with the caller's grant for that
  ancestor's *own* scopes (``companies.read.own`` on the company level, whatever the leaf's
  scope is, or the company scope a child's route inherited; no grant at all hides the
  level), and not soft-deleted.

Field scopes are per caller too (``Caller.hidden`` / ``Caller.unwritable``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet

from ..plan import GatewayPlan, ResourcePlan
from ..security import Access
from ..security.access import Scope

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Caller:
    access: Access
    hidden: frozenset[str] = frozenset()  # body keys the caller may not read
    unwritable: frozenset[str] = frozenset()  # body keys the caller may not set


def caller_for(resource: ResourcePlan, access: Access) -> Caller:
    scoped = resource.security.field_scopes
    return Caller(
        access=access,
        hidden=frozenset(
            k for k, s in scoped.items() if s.read is not None and not access.has_any(s.read)
        ),
        unwritable=frozenset(
            k for k, s in scoped.items() if s.write is not None and not access.has_any(s.write)
        ),
    )


def granted(resource: ResourcePlan, action: str, access: Access) -> Access | None:
    """The access as the route of ``action`` on ``resource`` would see it: its ``scope`` the
    first of the action's required scopes the caller holds; ``None`` when the route would
    refuse the caller (it holds none of them)."""
    security = resource.security
    required = security.required[action].scopes if security.required else ()
    if not security.secured or not required:
        return replace(access, scope=None) if access.scope is not None else access
    for scope in required:
        if scope in access.scopes:
            return replace(access, scope=Scope(scope))
    return None


def own_filter(resource: ResourcePlan, access: Access) -> Q:
    """The resource's own row filter: its tenant, then ``objects_filter(access)``."""
    security = resource.security
    condition = Q()
    if security.tenant_field is not None:
        condition &= Q((security.tenant_field.attname, access.tenant_id))
    if security.objects_filter is not None:
        extra = security.objects_filter(access)
        if extra:
            # A subquery: joins in the filter (employees__user_id=...) cannot duplicate rows.
            model = resource.model.model
            condition &= Q(pk__in=model._default_manager.filter(extra).values("pk"))
    return condition


def not_deleted(resource: ResourcePlan) -> Q:
    if resource.delete_status is None:
        return Q()
    field, value = resource.delete_status
    return ~Q((field.attname, value))


def ancestor_filter(ancestor: ResourcePlan, access: Access) -> Q | None:
    """The rows of an ancestor level the caller may see (``None``: all of them)."""
    condition = not_deleted(ancestor)
    if ancestor.security.objects_filter is not None:
        grant = ancestor_grant(ancestor, access)
        if grant is None:
            return NOTHING
        condition &= own_filter(ancestor, grant)
    elif ancestor.security.tenant_field is not None:
        condition &= own_filter(ancestor, access)
    return condition or None


def ancestor_grant(ancestor: ResourcePlan, access: Access) -> Access | None:
    """The access an ancestor's row filter is evaluated with: the scope the request was let
    in with when it is one of the ancestor's own (a child's scope inherited from it), else
    the caller's grant for the ancestor's read scope; ``None`` when they have neither."""
    if access.scope is not None and access.scope.value in _declared(ancestor):
        return access
    return granted(ancestor, "retrieve", access)


def _declared(resource: ResourcePlan) -> set[str]:
    return {scope for need in resource.security.required.values() for scope in need.scopes}


def chain_filter(
    plan: GatewayPlan,
    resource: ResourcePlan,
    access: Access,
    include_deleted: bool = False,
    *,
    as_ancestor: bool = False,
) -> Q:
    """Row filters of the resource and of every ancestor, seen from the resource's model.
    ``as_ancestor``: the resource is the parent of the one the request is for (its own
    level is then seen with the caller's grant for it, as every ancestor's is)."""
    if as_ancestor:
        condition = ancestor_filter(resource, access)
        if condition is NOTHING:
            return NOTHING
        condition = condition or Q()
    else:
        condition = own_filter(resource, access)
        if not include_deleted:
            condition &= not_deleted(resource)
    for link in resource.ancestors:
        ancestor = plan.get(link.resource_key)
        ancestor_condition = ancestor_filter(ancestor, access)
        if ancestor_condition is NOTHING:
            return NOTHING
        if ancestor_condition is not None:
            seen = ancestor.model.model._default_manager.filter(ancestor_condition)
            condition &= Q((f"{link.lookup}__in", seen.values("pk")))
    return condition


def visible(
    plan: GatewayPlan,
    resource: ResourcePlan,
    access: Access,
    include_deleted: bool = False,
    *,
    as_ancestor: bool = False,
) -> QuerySet[Any]:
    manager = resource.model.model._default_manager
    condition = chain_filter(plan, resource, access, include_deleted, as_ancestor=as_ancestor)
    return manager.filter(condition)
