"""Query names that reach into another resource's rows, and who may use them.

A filter, ordering, search field or group key through a relation (``assignee__email``,
``departments__count``) answers questions about the rows it reaches: ``?assignee__email__
istartswith=b`` tells whether a hidden account's address starts with "b". Such a name is
offered to a caller only when the resource it reaches shows every row to everyone who may
read it (no row filter, tenant or soft delete anywhere on its chain) and the caller holds that
resource's read scope; field-scoped fields of a related resource are never offered at all
(``surface.py``). Otherwise the name is not on the caller's allow-list: a 400 that lists what
is allowed, like any unknown name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from ..security import Access
from .query_surface import QuerySurface
from .types import GatewayPlan, ResourcePlan


def hides_rows(plan: GatewayPlan, resource: ResourcePlan) -> bool:
    """Whether a caller may be kept from some rows (row filter, tenant, soft delete)."""
    return any(
        level.security.filters_rows or level.delete_status is not None
        for level in plan.lineage(resource)
    )


def without_hidden_relations(
    plan: GatewayPlan, resource: ResourcePlan, surface: QuerySurface
) -> QuerySurface:
    """The surface without the names into resources that may hide rows from someone (they
    are not offered at all, nor documented)."""
    hidden = set()
    for name, target in _targets(plan, resource, surface).items():
        if target is None:
            hidden.add(name)
        elif target.parent_key == resource.key:
            # a child counted: its ancestors are this row's own chain, already required
            if target.security.filters_rows:
                hidden.add(name)
            elif target.delete_status is not None:
                surface = _skipping_deleted(surface, name, target)
        elif hides_rows(plan, target):
            hidden.add(name)
    return _without(surface, hidden)


def _skipping_deleted(surface: QuerySurface, name: str, child: ResourcePlan) -> QuerySurface:
    assert child.delete_status is not None
    field, value = child.delete_status
    skips = (f"{name}__{field.attname}", value)
    keys = {
        key: replace(order, count_skips=skips) if order.count_of == name else order
        for key, order in surface.ordering_keys.items()
    }
    return replace(surface, ordering_keys=keys)


@dataclass(frozen=True)
class RelationGuard:
    surface: QuerySurface
    scoped: dict[str, tuple[str, ...]] = field(default_factory=dict)  # first part → read scopes

    def surface_for(self, access: Access) -> QuerySurface:
        """The surface this caller may use (names into resources they may not read removed)."""
        refused = {name for name, scopes in self.scoped.items() if not access.has_any(scopes)}
        return _without(self.surface, refused) if refused else self.surface


def relation_guard(plan: GatewayPlan, resource: ResourcePlan) -> RelationGuard:
    """Which names into other resources need that resource's read scope."""
    scoped: dict[str, tuple[str, ...]] = {}
    for name, target in _targets(plan, resource, resource.query).items():
        if target is None:
            continue
        required = target.security.required.get("list")
        if target.security.secured and required is not None and required.scopes:
            scoped[name] = required.scopes
    return RelationGuard(resource.query, scoped)


def _targets(
    plan: GatewayPlan, resource: ResourcePlan, surface: QuerySurface
) -> dict[str, ResourcePlan | None]:
    """First lookup part → the resource it reaches (``None``: a resource not exposed)."""
    model: Any = resource.model.model
    parent_link = resource.parent_field.name if resource.parent_field else None
    names = {f.lookup for f in surface.filters.values()}
    names |= {s.lookup for s in surface.search}
    names |= {k.count_of or k.name for k in surface.ordering_keys.values()}
    names |= set(surface.group_by) | set(surface.aggregate_fields)
    targets: dict[str, ResourcePlan | None] = {}
    for name in names:
        first = name.split("__", 1)[0]
        if first in targets or first in ("pk", parent_link):
            continue  # the parent is named on the path: its visibility is already required
        try:
            django_field = model._meta.get_field(first)
        except FieldDoesNotExist:  # an annotation or alias, not a relation
            continue
        if django_field.is_relation and _crosses(django_field, name):
            targets[first] = _exposed(plan, django_field.related_model)
    return targets


def _crosses(django_field: Any, name: str) -> bool:
    """A reverse or many-to-many relation always reaches other rows; a foreign key only when
    a field of its target follows (``category__name``; ``category_id__in`` is the row's own
    value)."""
    if django_field.auto_created or django_field.many_to_many:
        return True
    parts = name.split("__")
    if len(parts) < 2 or parts[0] == django_field.attname:
        return False
    try:
        django_field.related_model._meta.get_field(parts[1])
    except FieldDoesNotExist:  # a lookup on the key itself (exact, in, isnull...)
        return False
    return True


def _exposed(plan: GatewayPlan, model: Any) -> ResourcePlan | None:
    try:
        return plan.get(model._meta.label)
    except KeyError:
        return None


def _without(surface: QuerySurface, names: set[str]) -> QuerySurface:
    if not names:
        return surface

    def kept(name: str) -> bool:
        return name.split("__", 1)[0] not in names

    ordering_keys = {n: k for n, k in surface.ordering_keys.items() if kept(k.count_of or k.name)}
    return replace(
        surface,
        filters={n: f for n, f in surface.filters.items() if kept(f.lookup)},
        ordering_keys=ordering_keys,
        default_ordering=tuple(
            t for t in surface.default_ordering if t.removeprefix("-") in (*ordering_keys, "pk")
        ),
        search=tuple(s for s in surface.search if kept(s.lookup)),
        aggregate_fields={n: f for n, f in surface.aggregate_fields.items() if kept(n)},
        group_by={n: g for n, g in surface.group_by.items() if kept(n)},
    )
