"""What a caller may see: row filters and tenants along the parent chain, field scopes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ..plan import GatewayPlan, ResourcePlan
from ..security import Access


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


def chain_filter(plan: GatewayPlan, resource: ResourcePlan, access: Access) -> Q:
    """Row filters of the resource and of every ancestor, seen from the resource's model."""
    condition = own_filter(resource, access)
    for link in resource.ancestors:
        ancestor = plan.get(link.resource_key)
        ancestor_condition = own_filter(ancestor, access)
        if ancestor_condition:
            visible = ancestor.model.model._default_manager.filter(ancestor_condition)
            condition &= Q((f"{link.lookup}__in", visible.values("pk")))
    return condition


def visible(plan: GatewayPlan, resource: ResourcePlan, access: Access) -> QuerySet[Any]:
    manager = resource.model.model._default_manager
    return manager.filter(chain_filter(plan, resource, access))
