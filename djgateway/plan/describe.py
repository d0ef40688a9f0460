"""The route plan as plain, JSON-able data: what `djgateway routes` prints (tree or `--json`).

Besides ``resources``, ``warnings`` lists what was left out (models, fields) and why.
The shape, per resource (parents before children, each child naming its parent's key)::

    key, model, parent, nesting, collection_path, item_path,
    id_param {name, type}, path_parameters [{name, type}],
    fields [{name, type, access, scopes}], hidden [{name, reason}],
    row_filter, tenant_field, read_path {path, reasons},
    query {filters [{name, operators}], ordering, default_ordering, search [{name, mode}],
           select, aggregate [{name, functions}], group_by, page_size, max_page_size},
    operations [{action, method, path, operation_id, status, scopes}],
    actions [{name, on, method, path, operation_id, status, scopes, scopes_of, function}]

Scopes, row filters, the tenant field and the query surface are each read by one function in
the "extension points" section below; "nothing" (`[]` or `None`) is shown as "none" / "-".
"""

from __future__ import annotations

from typing import Any

from ..introspect import FieldInfo
from .actions import ActionPlan
from .types import GatewayPlan, Operation, ResourcePlan

Description = dict[str, Any]


def describe_plan(plan: GatewayPlan, prefix: str = "") -> Description:
    """The whole plan: `{"resources": [...], "warnings": [{code, message}]}` in plan order;
    paths as served under `prefix` (where the application mounts the gateway)."""
    return {
        "resources": [
            describe_resource(resource, prefix, actions=plan.actions_of(resource.key))
            for resource in plan
        ],
        "warnings": [{"code": w.code, "message": w.message} for w in plan.warnings],
    }


def describe_resource(
    resource: ResourcePlan, prefix: str = "", *, actions: tuple[ActionPlan, ...] = ()
) -> Description:
    writable = {field.name for field in resource.writable}
    create_only = {field.name for field in resource.create_only}
    return {
        "key": resource.key,
        "model": resource.label,
        "parent": resource.parent_key,
        "nesting": resource.nesting,
        "collection_path": prefix + resource.collection_path,
        "item_path": prefix + resource.item_path,
        "id_param": {"name": resource.id_param, "type": path_type_name(resource.model.pk)},
        "path_parameters": [
            {"name": link.param, "type": path_type_name(link.pk)} for link in resource.ancestors
        ],
        "fields": [
            {
                "name": field.attname,
                "type": field_type_name(field),
                "access": _access(field, writable, create_only),
                "scopes": field_scopes(resource, field),
            }
            for field in resource.fields
        ],
        "hidden": [_hidden(entry) for entry in resource.hidden],
        "row_filter": row_filter(resource),
        "tenant_field": tenant_field(resource),
        "read_path": {
            "path": resource.read_path.summary,
            "reasons": list(resource.read_path.reasons),
        },
        "query": query_surface(resource),
        "operations": [describe_operation(resource, op, prefix) for op in resource.operations],
        "actions": [describe_action(resource, action, prefix) for action in actions],
    }


def describe_operation(
    resource: ResourcePlan, operation: Operation, prefix: str = ""
) -> Description:
    return {
        "action": operation.action,
        "method": operation.method,
        "path": prefix + operation.path,
        "operation_id": operation.operation_id,
        "status": operation.status_code,
        "scopes": operation_scopes(resource, operation),
    }


def describe_action(resource: ResourcePlan, action: ActionPlan, prefix: str = "") -> Description:
    """A custom endpoint (``Gateway.action``): an operation, with the function serving it."""
    required = action.required
    scopes: Description = {"own": [], "inherited": []}
    if resource.security.secured:
        scopes["inherited" if required.inherited_from else "own"] = list(required.scopes)
    return {
        "name": action.name,
        "on": action.on,
        "method": action.method,
        "path": prefix + action.path,
        "operation_id": action.operation_id,
        "status": action.status_code,
        "scopes": scopes,
        "scopes_of": action.scopes_of,
        "function": action.function_name,
    }


def path_type_name(pk: FieldInfo) -> str:
    """How a path parameter typed from `pk` is validated: integer, uuid or string (max N)."""
    key = pk.relation.target_field if pk.relation else pk
    kind = key.internal_type
    if "Integer" in kind or kind.endswith("AutoField"):
        return "integer"
    if kind == "UUIDField":
        return "uuid"
    return f"string (max {key.max_length})" if key.max_length else "string"


def field_type_name(field: FieldInfo) -> str:
    """`CharField(max_length=50)`, `ForeignKey(testapp.Library)`, `BigAutoField` ..."""
    if field.relation is not None:
        return f"{field.internal_type}({field.relation.target})"
    if field.max_length is not None and field.internal_type != "UUIDField":
        return f"{field.internal_type}(max_length={field.max_length})"
    return field.internal_type


def _access(field: FieldInfo, writable: set[str], create_only: set[str]) -> str:
    if field.name in writable:
        return "read-write"
    if field.name in create_only:
        return "create-only"
    return "read-only"


def _hidden(entry: str) -> Description:
    name, _, reason = entry.partition(": ")
    return {"name": name, "reason": reason}


# --- extension points ------------------------------------------------------------------------


def operation_scopes(resource: ResourcePlan, operation: Operation) -> Description:
    """Scopes required by `operation`: its own, or those inherited from a parent resource."""
    required = resource.security.required.get(operation.action)
    if not resource.security.secured or required is None:
        return {"own": [], "inherited": []}
    if required.inherited_from:
        return {"own": [], "inherited": list(required.scopes)}
    return {"own": list(required.scopes), "inherited": []}


def field_scopes(resource: ResourcePlan, field: FieldInfo) -> Description:
    """Scopes needed to read or write one field."""
    key = field.name if field.is_many_to_many else field.attname
    scopes = resource.security.field_scopes.get(key)
    if scopes is None:
        return {"read": [], "write": []}
    return {"read": list(scopes.read or ()), "write": list(scopes.write or ())}


def row_filter(resource: ResourcePlan) -> str | None:
    """The name of the row filter applied to this resource (and its parent chain), if any."""
    objects_filter = resource.security.objects_filter
    if objects_filter is None:
        return None
    return getattr(objects_filter, "__qualname__", repr(objects_filter))


def tenant_field(resource: ResourcePlan) -> str | None:
    """The field filtered and set from the caller's tenant, if any."""
    field = resource.security.tenant_field
    return field.name if field is not None else None


def query_surface(resource: ResourcePlan) -> Description:
    """What a list request may filter, order, search, select, aggregate and group by."""
    query = resource.query
    operators: dict[str, list[str]] = {}
    for param, spec in query.filters.items():
        operators.setdefault(param.removesuffix(f"__{spec.operator}"), []).append(spec.operator)
    return {
        "filters": [{"name": name, "operators": ops} for name, ops in operators.items()],
        "ordering": list(query.ordering_keys),
        "default_ordering": list(query.default_ordering),
        "search": [{"name": field.lookup, "mode": field.mode} for field in query.search],
        "select": list(query.selectable),
        "aggregate": [
            {"name": name, "functions": list(query.functions_for(name))}
            for name in query.aggregate_fields
        ],
        "group_by": list(query.group_by),
        "page_size": query.list_per_page,
        "max_page_size": query.max_page_size,
    }
