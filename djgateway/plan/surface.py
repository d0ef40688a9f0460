"""Build the ``QuerySurface`` of a resource from its exposed fields and the overrides."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import ConfigurationError
from ..introspect import FieldInfo
from ..introspect.admin import AdminOptions
from ..resources import Resource
from .query_surface import (
    DATE_PARTS,
    KEY_OPERATORS,
    NUMERIC,
    OPERATORS,
    ORDERABLE,
    RESERVED_PARAMETERS,
    SEARCH_MODES,
    TEMPORAL,
    Filter,
    GroupKey,
    OrderKey,
    QuerySurface,
    SearchField,
    kind_of,
)
from .types import ResourcePlan


def build_surface(
    resource: ResourcePlan,
    override: Resource,
    related: dict[str, ResourcePlan],
    children: tuple[ResourcePlan, ...],
    read_keys: tuple[str, ...],
) -> QuerySurface:
    """``related`` maps this model's to-one field names to the exposed resources they target."""
    label = resource.label
    own = {f.name: f for f in resource.fields if not f.is_many_to_many}
    candidates = _filter_candidates(own, related)
    admin = resource.model.admin
    wanted = override.filter_fields
    filterable = candidates
    if wanted is None:
        filterable = _without_parent_link(candidates, resource.parent_field)
    if wanted is None and admin and admin.list_filter:
        attnames = {f.name: f.attname for f in own.values()}
        wanted = [attnames.get(n, n) for n in admin.list_filter if attnames.get(n, n) in filterable]
    filters = _filters(label, filterable, own, wanted)
    ordering_keys = _ordering_keys(label, candidates, children, override.ordering_fields)
    per_page = override.list_per_page or (admin.list_per_page if admin else None) or 100
    return QuerySurface(
        filters=filters,
        ordering_keys=ordering_keys,
        default_ordering=_default_ordering(resource, override, ordering_keys),
        search=_search(label, candidates, override.search_fields, admin),
        selectable=read_keys,
        list_per_page=min(per_page, override.max_page_size),
        max_page_size=override.max_page_size,
        aggregate_fields=_aggregate_fields(label, own, override.aggregate_fields),
        group_by=_group_by(label, own, override.group_by_fields),
        max_groups=override.max_groups,
        pk=resource.model.pk,
        warnings=_renamed_filters(label, filters),
    )


def _filter_candidates(
    own: dict[str, FieldInfo], related: dict[str, ResourcePlan]
) -> dict[str, FieldInfo]:
    """Client field name → field: own scalars, foreign-key ids, exposed related fields."""
    candidates: dict[str, FieldInfo] = {}
    for info in own.values():
        if kind_of(info) == "other":
            continue
        candidates[info.attname] = info
    for name, target in related.items():
        scoped = target.security.field_scopes
        for info in target.fields:
            # Field-scoped fields of a related resource are never reachable through it.
            if info.relation is None and kind_of(info) != "other" and info.attname not in scoped:
                candidates[f"{name}__{info.name}"] = info
    return candidates


def _without_parent_link(
    candidates: dict[str, FieldInfo], parent_field: FieldInfo | None
) -> dict[str, FieldInfo]:
    """No default filter on the link to the parent: the path fixes it already, and its name
    (``company_id``) is the path parameter's, which generated clients then have to rename."""
    if parent_field is None:
        return candidates
    return {name: info for name, info in candidates.items() if name != parent_field.attname}


def _resolve(label: str, option: str, names: list[str], known: dict[str, FieldInfo]) -> list[str]:
    """Check configured names against ``known``; a foreign key may be named without ``_id``."""
    aliases = {f.name: key for key, f in known.items() if key == f.attname}
    resolved = []
    for given in names:
        name = given if given in known else aliases.get(given, given)
        if name not in known:
            raise ConfigurationError(
                "djgateway.E011",
                f"{label}: Resource({option}=...) names {given!r}, which is not an exposed, "
                f"usable field; allowed: {sorted(known)}",
            )
        resolved.append(name)
    return resolved


def _filters(
    label: str,
    candidates: dict[str, FieldInfo],
    own: dict[str, FieldInfo],
    wanted: Sequence[str] | None,
) -> dict[str, Filter]:
    names = (
        list(candidates)
        if wanted is None
        else _resolve(label, "filter_fields", list(wanted), candidates)
    )
    filters: dict[str, Filter] = {}
    for name in names:
        info = candidates[name]
        kind_operators = KEY_OPERATORS if info.relation else OPERATORS[kind_of(info)]
        operators = kind_operators + (("isnull",) if info.null else ())
        for operator in operators:
            param = _filter_param(name, operator)
            filters[param] = Filter(param, f"{name}__{operator}", info, operator)
    return filters


def _filter_param(name: str, operator: str) -> str:
    """``name`` for the exact filter, ``name__operator`` for the others; a field named like a
    parameter that is not a filter (``count``) spells the exact lookup out (``count__exact``):
    one name, one meaning, in the query string and in the OpenAPI document."""
    if operator != "exact":
        return f"{name}__{operator}"
    return f"{name}__exact" if name in RESERVED_PARAMETERS else name


def _renamed_filters(label: str, filters: dict[str, Filter]) -> tuple[str, ...]:
    return tuple(
        f"{label}: the field {spec.name!r} is filtered as {param!r} ({spec.name!r} is a "
        "reserved query parameter)"
        for param, spec in filters.items()
        if spec.operator == "exact" and param != spec.name
    )


def _ordering_keys(
    label: str,
    candidates: dict[str, FieldInfo],
    children: tuple[ResourcePlan, ...],
    wanted: Sequence[str] | None,
) -> dict[str, OrderKey]:
    orderable = {n: f for n, f in candidates.items() if kind_of(f) in ORDERABLE}
    names = (
        list(orderable)
        if wanted is None
        else _resolve(label, "ordering_fields", list(wanted), orderable)
    )
    keys = {name: OrderKey(name, orderable[name]) for name in names}
    for child in children:
        link = child.parent_field
        relation = link.relation if link is not None else None
        # A hidden reverse relation (related_name="+") cannot be counted.
        if relation is None or not relation.accessor or relation.query_name.endswith("+"):
            continue
        # Clients name the count after the accessor (``page_set__count``), the attribute they
        # know; Count() takes the query name (``page``), which differs without related_name.
        name = f"{relation.accessor}__count"
        keys[name] = OrderKey(name, None, count_of=relation.query_name or relation.accessor)
    return keys


def _default_ordering(
    resource: ResourcePlan, override: Resource, keys: dict[str, OrderKey]
) -> tuple[str, ...]:
    admin = resource.model.admin
    if override.ordering is not None:
        chosen = list(override.ordering)
        unknown = [o for o in chosen if o.lstrip("-") not in keys]
        if unknown:
            raise ConfigurationError(
                "djgateway.E011",
                f"{resource.label}: Resource(ordering=...) names {unknown}, which are not "
                f"ordering fields; allowed: {sorted(keys)}",
            )
    else:
        source = (admin.ordering if admin and admin.ordering else ()) or resource.model.ordering
        # Orderings on fields clients cannot see would leak through cursors: skip them.
        attnames = {f.name: f.attname for f in resource.fields}
        chosen = []
        for entry in source:
            descending, name = entry.startswith("-"), entry.lstrip("-")
            name = attnames.get(name, name)
            if name in keys:
                chosen.append(f"-{name}" if descending else name)
    return (*chosen, "pk")


def _search(
    label: str,
    candidates: dict[str, FieldInfo],
    wanted: Sequence[str] | None,
    admin: AdminOptions | None,
) -> tuple[SearchField, ...]:
    """Explicit search fields must exist; admin ones on fields not exposed here are skipped."""
    explicit = wanted is not None
    entries = wanted if wanted is not None else (admin.search_fields if admin else ())
    text = {n: f for n, f in candidates.items() if kind_of(f) in ("text", "choice")}
    fields: list[SearchField] = []
    for entry in entries:
        mode = SEARCH_MODES.get(entry[:1], "icontains")
        name = entry[1:] if entry[:1] in SEARCH_MODES else entry
        if not explicit and name not in text:
            continue
        (resolved,) = _resolve(label, "search_fields", [name], text)
        fields.append(SearchField(resolved, mode))
    return tuple(fields)


def _aggregate_fields(
    label: str, own: dict[str, FieldInfo], wanted: Sequence[str] | None
) -> dict[str, FieldInfo]:
    default = {
        f.name: f
        for f in own.values()
        if f.relation is None
        and (f.primary_key or (kind_of(f) in NUMERIC | TEMPORAL and not f.choices))
    }
    if wanted is None:
        return default
    allowed = {f.name: f for f in own.values() if f.relation is None and kind_of(f) != "other"}
    return {n: allowed[n] for n in _resolve(label, "aggregate_fields", list(wanted), allowed)}


def _group_by(
    label: str, own: dict[str, FieldInfo], wanted: Sequence[str] | None
) -> dict[str, GroupKey]:
    available: dict[str, GroupKey] = {}
    for info in own.values():
        kind = kind_of(info)
        if info.relation is not None or kind in ("choice", "boolean"):
            available[info.attname] = GroupKey(info.attname, info)
        for part in DATE_PARTS.get(kind, ()):
            available[f"{info.name}__{part}"] = GroupKey(f"{info.name}__{part}", info)
    if wanted is None:
        return available
    known = {name: key.field for name, key in available.items()}
    return {n: available[n] for n in _resolve(label, "group_by_fields", list(wanted), known)}
