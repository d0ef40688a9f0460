"""OpenAPI links from the ownership tree, so that stateful fuzzing reaches nested routes.

- ``POST`` of a resource (201) → every operation its new id unlocks: its own item operations
  and the collection operations of its children, with the ancestors' ids carried along;
- ``DELETE`` of an item (204) → ``GET`` of the same item, which must now be a 404.

The id comes from the response body under the resource's real primary key (``code`` for a
warehouse), the ancestors' ids from the request path.
"""

from __future__ import annotations

import re
from typing import Any

from ..plan import GatewayPlan, Operation, ResourcePlan
from ..schemas import field_key

Responses = dict[int | str, Any]

_PATH_PARAMETER = re.compile(r"{(\w+)}")


def response_links(plan: GatewayPlan) -> dict[str, Responses]:
    """Extra ``responses`` per operationId: the links of its success status."""
    links: dict[str, Responses] = {}
    for resource in plan:
        for operation in resource.operations:
            found = _links(plan, resource, operation)
            if found:
                links[operation.operation_id] = {operation.status_code: {"links": found}}
    return links


def _links(plan: GatewayPlan, resource: ResourcePlan, operation: Operation) -> dict[str, Any]:
    if operation.action == "create":
        return _after_create(plan, resource, operation)
    retrieve = next((op for op in resource.operations if op.action == "retrieve"), None)
    if operation.action == "delete" and retrieve is not None:
        return {retrieve.operation_id: _link(retrieve, _from_request(retrieve))}
    return {}


def _after_create(plan: GatewayPlan, resource: ResourcePlan, create: Operation) -> dict[str, Any]:
    if resource.model.pk not in resource.fields:  # the new id is not in the body
        return {}
    new_id = f"$response.body#/{field_key(resource.model.pk)}"
    known = {**_from_request(create), resource.id_param: new_id}
    links = {}
    for target in _operations(plan, resource):
        needed = set(parameters(target.path))
        if resource.id_param in needed and needed <= known.keys():
            links[target.operation_id] = _link(
                target, {name: known[name] for name in sorted(needed)}
            )
    return links


def _operations(plan: GatewayPlan, resource: ResourcePlan) -> list[Operation]:
    owners = (resource, *plan.children(resource.key))
    return [operation for owner in owners for operation in owner.operations]


def parameters(path: str) -> list[str]:
    return _PATH_PARAMETER.findall(path)


def _from_request(operation: Operation) -> dict[str, str]:
    return {name: f"$request.path.{name}" for name in parameters(operation.path)}


def _link(target: Operation, values: dict[str, str]) -> dict[str, Any]:
    return {"operationId": target.operation_id, "parameters": values}
