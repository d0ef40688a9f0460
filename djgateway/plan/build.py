"""Build the route plan from introspected models and overrides."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from ..errors import ConfigurationError, Problem
from ..introspect import FieldInfo, ModelInfo
from ..resources import Resource
from . import naming
from .databases import sqlite_write_warnings
from .nesting import Nesting, choose_parents
from .problems import Problems
from .read_path import read_path
from .relations import without_hidden_relations
from .security import resource_security
from .surface import build_surface
from .types import (
    ACTION_METHODS,
    ACTION_STATUS,
    Action,
    ExplicitSchemas,
    GatewayOptions,
    GatewayPlan,
    Operation,
    ParentLink,
    RelatedRoute,
    ResourcePlan,
)

SENSITIVE_NAME = re.compile(
    r"password|passwd|secret|token|api_?key|private_?key|session_?(key|data)|salt",
    re.IGNORECASE,
)
# Models whose rows are secrets as a whole: exposed only when an override names them.
SECRET_MODELS = {
    "sessions.Session": "its rows are session keys and session data",
    "authtoken.Token": "its rows are API tokens",
    "authtoken.TokenProxy": "its rows are API tokens",
}
ACTIONS: tuple[Action, ...] = ("list", "create", "retrieve", "replace", "update", "delete")


def left_out_before_reading(overrides: Mapping[str, Resource]) -> set[str]:
    """Models an override hides: they are not even read (a field no reader understands on a
    hidden model must not stop the build)."""
    return {label for label, resource in overrides.items() if not resource.expose}


def build_plan(
    models: Iterable[ModelInfo],
    overrides: Mapping[str, Resource],
    options: GatewayOptions | None = None,
    left_out: Iterable[str] = (),
    warnings: Iterable[Problem] = (),
) -> GatewayPlan:
    """The plan, or one ``ConfigurationError`` listing every error found (warnings kept on
    the plan for ``djgateway routes``)."""
    problems = Problems(list(warnings))
    by_label = {info.label: info for info in models}
    unknown = sorted(set(overrides) - set(by_label) - set(left_out))
    if unknown:
        problems.add(
            "djgateway.E001", f"overrides name models that are not in the given apps: {unknown}"
        )
    exposed: dict[str, ModelInfo] = {}
    for label, info in by_label.items():
        if label in SECRET_MODELS and label not in overrides:
            problems.add(
                "djgateway.W002",
                f"{label}: not exposed by default, {SECRET_MODELS[label]}; name it in "
                "resources to expose it",
            )
        elif not info.model._meta.managed and label not in overrides:
            problems.add(
                "djgateway.W004",
                f"{label}: not exposed by default, its table is kept outside migrations "
                "(managed=False: a view, or another system's table that may not exist); name "
                "it in resources to expose it",
            )
        elif overrides.get(label, Resource()).expose:
            exposed[label] = info
    decisions = choose_parents(exposed, overrides, problems)
    builder = _Builder(exposed, overrides, decisions, options or GatewayOptions(), problems)
    for root in builder.children_of(None):
        builder.add(root, parent=None)
    plan = GatewayPlan(tuple(builder.plans))
    _check_collisions(plan, problems)
    final = []
    for resource in plan:
        with problems.collecting():
            final.append(_with_surface(plan, resource, overrides))
            for message in final[-1].query.warnings:
                problems.add("djgateway.W005", message)
    _unique(
        problems,
        "djgateway.E005",
        "route",
        ((f"{op.method} {op.path}", r.label) for r in final for op in r.operations),
        hint="rename one with Resource(name=...)",
    )
    problems.found.extend(sqlite_write_warnings(GatewayPlan(tuple(final))))
    problems.raise_errors()
    tags = naming.unique_tags({r.key: r.tag for r in final})
    final = [replace(r, tag=tags[r.key]) for r in final]
    return GatewayPlan(tuple(final), warnings=problems.warnings)


def _with_surface(
    plan: GatewayPlan, resource: ResourcePlan, overrides: Mapping[str, Resource]
) -> ResourcePlan:
    labels = {r.label: r for r in plan}
    related = {
        f.name: labels[f.relation.target]
        for f in resource.fields
        if f.relation and not f.is_many_to_many and f.relation.target in labels
    }
    explicit_read = resource.explicit.read
    read_keys = (
        tuple(explicit_read.model_fields)
        if explicit_read
        else tuple(f.name if f.is_many_to_many else f.attname for f in resource.fields)
    )
    surface = build_surface(
        resource,
        overrides.get(resource.label, Resource()),
        related,
        plan.children(resource.key),
        read_keys,
    )
    surface = without_hidden_relations(plan, resource, surface)
    operations = resource.operations
    if surface.aggregate_fields:
        stem = naming.identifier(resource.key)
        aggregate = Operation(
            action="aggregate",
            method=ACTION_METHODS["aggregate"],
            path=f"{resource.collection_path}:aggregate/{{function}}/{{field}}",
            operation_id=f"aggregate_{stem}",
            status_code=ACTION_STATUS["aggregate"],
            summary=f"Aggregate {resource.model.verbose_name_plural}",
        )
        operations = (*operations, aggregate)
    operations = (*operations, *_related_operations(plan, resource))
    return replace(
        resource,
        query=surface,
        operations=operations,
        writable_children=_writable_children(plan, resource, overrides),
    )


def _related_operations(plan: GatewayPlan, resource: ResourcePlan) -> list[Operation]:
    """Link, unlink and list the rows of each writable many-to-many to a top-level resource."""
    labels = {r.label: r for r in plan}
    operations = []
    for field in resource.writable:
        relation = field.relation
        target = labels.get(relation.target) if relation and field.is_many_to_many else None
        if relation is None or target is None or target.ancestors or relation.through_manager:
            continue  # (a manager's many-to-many names rows its own way: the field sets it)
        segment = naming.segment_from_accessor(field.name)
        target_param = target.id_param
        if target_param in {link.param for link in resource.ancestors} | {resource.id_param}:
            # a many-to-many to its own model: /products/{product_id}/recommended-products/{..}
            target_param = f"{naming.identifier(naming.singularize(segment))}_id"
        related = RelatedRoute(field, target.key, target_param, relation.query_name)
        collection = f"{resource.item_path}/{segment}"
        stem = naming.identifier(f"{resource.key}_{field.name}")
        one = naming.with_article(target.model.verbose_name)
        for action, path, summary in (
            (
                "list_related",
                collection,
                f"List the {field.name} of {naming.with_article(resource.model.verbose_name)}",
            ),
            ("link", f"{collection}/{{{target_param}}}", f"Link {one}"),
            ("unlink", f"{collection}/{{{target_param}}}", f"Unlink {one}"),
        ):
            operations.append(
                Operation(
                    action=action,  # type: ignore[arg-type]
                    method=ACTION_METHODS[action],  # type: ignore[index]
                    path=path,
                    operation_id=f"{action}_{stem}",
                    status_code=ACTION_STATUS[action],  # type: ignore[index]
                    summary=summary,
                    relation=related,
                )
            )
    return operations


def _writable_children(
    plan: GatewayPlan, resource: ResourcePlan, overrides: Mapping[str, Resource]
) -> tuple[str, ...]:
    wanted = overrides.get(resource.label, Resource()).writable_children
    children = {child.segment: child.key for child in plan.children(resource.key)}
    unknown = sorted(set(wanted) - set(children))
    if unknown:
        raise ConfigurationError(
            "djgateway.E015",
            f"{resource.label}: Resource(writable_children=...) names {unknown}, which are not "
            f"nested under it; its children: {sorted(children)}",
        )
    return tuple(children[name] for name in wanted)


class _Builder:
    def __init__(
        self,
        models: Mapping[str, ModelInfo],
        overrides: Mapping[str, Resource],
        decisions: Mapping[str, Nesting],
        options: GatewayOptions,
        problems: Problems,
    ) -> None:
        self.options = options
        self.models = models
        self.overrides = overrides
        self.decisions = decisions
        self.problems = problems
        self.plans: list[ResourcePlan] = []
        self.qualified_segments = _shared(
            (label, (decisions[label].parent_label, self._plain_segment(label)))
            for label in models
            if not overrides.get(label, Resource()).name
        )
        self.qualified_names = _shared(
            (label, info.object_name)
            for label, info in models.items()
            if not overrides.get(label, Resource()).schema_name
        )

    def children_of(self, parent_label: str | None) -> list[str]:
        labels = [m for m, d in self.decisions.items() if d.parent_label == parent_label]
        return sorted(labels, key=lambda label: (self._segment(label), label))

    def add(self, label: str, parent: ResourcePlan | None) -> None:
        with self.problems.collecting():
            plan = self._plan(label, parent)
            self.plans.append(plan)
            for child in self.children_of(label):
                self.add(child, plan)

    def _segment(self, label: str) -> str:
        resource = self.overrides.get(label, Resource())
        if resource.name:
            return resource.name
        segment = self._plain_segment(label)
        if label in self.qualified_segments:  # order.Line and basket.Line: order-lines
            return f"{naming.segment_from_accessor(self.models[label].app_label)}-{segment}"
        return segment

    def _plain_segment(self, label: str) -> str:
        info = self.models[label]
        field = self.decisions[label].parent_field
        if field and field.relation and not field.relation.accessor_is_default:
            return naming.segment_from_accessor(field.relation.accessor)
        return naming.segment_from_verbose_name(info.verbose_name_plural)

    def _singular(self, label: str, segment: str) -> str:
        resource = self.overrides.get(label, Resource())
        if resource.singular:
            return naming.identifier(resource.singular)
        field = self.decisions[label].parent_field
        from_accessor = field and field.relation and not field.relation.accessor_is_default
        if resource.name or from_accessor or label in self.qualified_segments:
            return naming.identifier(naming.singularize(segment))
        return naming.identifier(self.models[label].verbose_name)

    def _plan(self, label: str, parent: ResourcePlan | None) -> ResourcePlan:
        info = self.models[label]
        resource = self.overrides.get(label, Resource())
        decision = self.decisions[label]
        segment = self._segment(label)
        singular = self._singular(label, segment)
        id_param = f"{singular}_id"
        key = f"{parent.key}.{segment}" if parent else segment
        base = parent.item_path if parent else ""
        collection_path = f"{base}/{segment}"
        item_path = f"{collection_path}/{{{id_param}}}"
        fields, hidden = _exposed_fields(info, resource)
        write_only = _write_only(info, resource)
        fields = tuple(f for f in fields if f not in write_only)
        hidden = tuple(
            entry
            for entry in (*hidden, *(f"{entry} (skipped)" for entry in info.skipped))
            if entry.split(":")[0] not in {f.name for f in write_only}
        )
        parent_field = decision.parent_field
        security = resource_security(
            key,
            segment,
            info=info,
            resource=resource,
            parent=parent,
            options=self.options,
            fields=fields,
        )
        protected = {security.tenant_field.name} if security.tenant_field else set()
        if resource.delete_status is not None:
            protected.add(resource.delete_status[0])  # only DELETE sets the soft-delete status
        writable, create_only = _writable_fields(
            (*fields, *write_only), resource, parent_field, protected
        )
        schema_name = resource.schema_name or info.object_name
        if label in self.qualified_names:  # order.Line and basket.Line: OrderLine, BasketLine
            schema_name = naming.camel(info.app_label) + info.object_name
        self._warn_uncreatable(info, (*create_only, *writable), protected, parent_field, resource)
        return ResourcePlan(
            key=key,
            model=info,
            segment=segment,
            singular=singular,
            id_param=id_param,
            parent_key=parent.key if parent else None,
            parent_field=parent_field,
            nesting=decision.reason,
            ancestors=_ancestors(parent, parent_field),
            collection_path=collection_path,
            item_path=item_path,
            fields=fields,
            writable=writable,
            create_only=create_only,
            hidden=hidden,
            schema_name=schema_name,
            tag=naming.tag_name(segment),  # made unique by build_plan
            operations=_operations(key, info, collection_path, item_path),
            explicit=ExplicitSchemas(resource.read, resource.create, resource.update),
            security=security,
            delete_status=_delete_status(info, resource),
            require_if_match=resource.require_if_match,
            bulk_max=resource.bulk_max,
            sync_delete=resource.sync_delete,
            sync_matching=_sync_matching(info, resource),
            write_only=write_only,
            before_save=resource.before_save,
            save=resource.save,
            read_path=read_path(
                info.model,
                parent.read_path if parent else None,
                row_filtered=security.filters_rows,
                explicit_read=resource.read is not None,
                deterministic_manager=resource.deterministic_manager,
                enabled=self.options.fast_paths,
            ),
        )

    def _warn_uncreatable(
        self,
        info: ModelInfo,
        settable: tuple[FieldInfo, ...],
        protected: set[str],
        parent_field: FieldInfo | None,
        resource: Resource,
    ) -> None:
        """A column the model requires but no body may set makes every create fail."""
        if resource.save is not None or info.tree:
            return
        set_elsewhere = {f.name for f in settable} | protected
        if parent_field is not None:
            set_elsewhere.add(parent_field.name)
        missing = [
            f.name
            for f in info.fields
            if f.name not in set_elsewhere
            and f.editable  # a non-editable column is the model's own save()'s to set
            and not (f.auto or f.has_default or f.blank or f.is_many_to_many)
        ]
        if missing:
            self.problems.add(
                "djgateway.W003",
                f"{info.label}: creates will fail: the model requires {missing}, which no body "
                "may set; expose them, or create rows with Resource(save=...)",
            )


def _write_only(info: ModelInfo, resource: Resource) -> tuple[FieldInfo, ...]:
    names = resource.write_only
    if names is None:  # a user model: its password is set, hashed, never shown
        is_user = callable(getattr(info.model, "set_password", None))
        names = ("password",) if is_user and _has(info, "password") else ()
    try:
        return tuple(info.field(name) for name in names)
    except KeyError:
        raise ConfigurationError(
            "djgateway.E002",
            f"{info.label}: Resource(write_only={list(names)}) names unknown fields",
        ) from None


def _has(info: ModelInfo, name: str) -> bool:
    return any(f.name == name for f in info.fields)


def _sync_matching(info: ModelInfo, resource: Resource) -> tuple[str, ...]:
    try:
        return tuple(info.field(name).attname for name in resource.sync_matching)
    except KeyError:
        raise ConfigurationError(
            "djgateway.E016",
            f"{info.label}: Resource(sync_matching={list(resource.sync_matching)}) names no field",
        ) from None


def _delete_status(info: ModelInfo, resource: Resource) -> tuple[FieldInfo, Any] | None:
    if resource.delete_status is None:
        return None
    name, value = resource.delete_status
    try:
        return info.field(name), value
    except KeyError:
        raise ConfigurationError(
            "djgateway.E014", f"{info.label}: Resource(delete_status=...) names no field {name!r}"
        ) from None


def _ancestors(
    parent: ResourcePlan | None, parent_field: FieldInfo | None
) -> tuple[ParentLink, ...]:
    if parent is None or parent_field is None:
        return ()
    links = [
        ParentLink(
            param=link.param,
            lookup=f"{parent_field.name}__{link.lookup}",
            pk=link.pk,
            resource_key=link.resource_key,
        )
        for link in parent.ancestors
    ]
    links.append(ParentLink(parent.id_param, parent_field.name, parent.model.pk, parent.key))
    return tuple(links)


def _exposed_fields(
    info: ModelInfo, resource: Resource
) -> tuple[tuple[FieldInfo, ...], tuple[str, ...]]:
    names = {f.name for f in info.fields} | {f.attname for f in info.fields}
    for option in ("fields", "exclude", "read_only"):
        listed = getattr(resource, option) or ()
        missing = sorted(set(listed) - names)
        if missing:
            raise ConfigurationError(
                "djgateway.E002",
                f"{info.label}: Resource({option}=...) names unknown fields {missing}",
            )
    allowed = set(resource.fields) if resource.fields is not None else None
    excluded = set(resource.exclude)
    fields: list[FieldInfo] = []
    hidden: list[str] = []
    for field in info.fields:
        listed = {field.name, field.attname}
        if field.primary_key:
            fields.append(field)
        elif allowed is not None and not listed & allowed:
            hidden.append(f"{field.name}: not in Resource(fields=...)")
        elif listed & excluded:
            hidden.append(f"{field.name}: excluded")
        elif allowed is None and SENSITIVE_NAME.search(field.name):
            hidden.append(f"{field.name}: sensitive (list it in Resource(fields=...) to expose)")
        else:
            fields.append(field)
    return tuple(fields), tuple(hidden)


def _writable_fields(
    fields: tuple[FieldInfo, ...],
    resource: Resource,
    parent_field: FieldInfo | None,
    protected: set[str],
) -> tuple[tuple[FieldInfo, ...], tuple[FieldInfo, ...]]:
    """Fields a body may set; the parent link and the tenant field never are."""
    read_only = set(resource.read_only) | protected
    writable: list[FieldInfo] = []
    create_only: list[FieldInfo] = []
    for field in fields:
        if (
            field.auto
            or not field.editable
            or {field.name, field.attname} & read_only
            or (parent_field is not None and field.name == parent_field.name)
        ):
            continue
        (create_only if field.primary_key else writable).append(field)
    return tuple(writable), tuple(create_only)


def _operations(
    key: str, info: ModelInfo, collection_path: str, item_path: str
) -> tuple[Operation, ...]:
    stem = naming.identifier(key)
    one, many = info.verbose_name, info.verbose_name_plural
    a_one = naming.with_article(one)
    summaries: dict[Action, str] = {
        "list": f"List {many}",
        "create": f"Create {a_one}",
        "retrieve": f"Retrieve {a_one}",
        "replace": f"Replace {a_one}",
        "update": f"Update {a_one}",
        "delete": f"Delete {a_one}",
    }
    return tuple(
        Operation(
            action=action,
            method=ACTION_METHODS[action],
            path=collection_path if action in ("list", "create") else item_path,
            operation_id=f"{action}_{stem}",
            status_code=ACTION_STATUS[action],
            summary=summaries[action],
        )
        for action in ACTIONS
    )


def _check_collisions(plan: GatewayPlan, problems: Problems) -> None:
    _unique(
        problems,
        "djgateway.E005",
        "path",
        ((r.collection_path, r.label) for r in plan),
        hint="rename one with Resource(name=...)",
    )
    _unique(
        problems,
        "djgateway.E006",
        "component name",
        ((r.schema_name, r.label) for r in plan),
        hint="rename one with Resource(schema_name=...)",
    )
    _unique(
        problems,
        "djgateway.E005",
        "operationId",
        ((op.operation_id, r.label) for r in plan for op in r.operations),
        hint="rename one with Resource(name=...)",
    )
    for resource in plan:
        params = [link.param for link in resource.ancestors] + [resource.id_param]
        if len(set(params)) != len(params):
            problems.add(
                "djgateway.E007",
                f"{resource.label}: path parameters repeat along {resource.item_path}; "
                "set Resource(singular=...) on one of the resources",
            )


def _unique(
    problems: Problems, code: str, what: str, pairs: Iterable[tuple[str, str]], hint: str
) -> None:
    owners: dict[str, str] = {}
    for value, label in pairs:
        other = owners.setdefault(value, label)
        clash = frozenset((other, label, code))
        if other != label and clash not in problems.clashes:  # one error per pair of models
            problems.clashes.add(clash)
            problems.add(code, f"{other} and {label} would both use the {what} {value!r}; {hint}")


def _shared(pairs: Iterable[tuple[str, object]]) -> set[str]:
    """The labels whose value another label has too."""
    by_value: dict[object, list[str]] = {}
    for label, value in pairs:
        by_value.setdefault(value, []).append(label)
    return {label for labels in by_value.values() if len(labels) > 1 for label in labels}
