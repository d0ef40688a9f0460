"""Turn the route plan into one ``APIRouter``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, routing
from starlette.routing import Match
from starlette.types import Scope

from ..orm import ResourceStore
from ..plan import GatewayPlan, Operation, ResourcePlan
from ..query.openapi import aggregate_parameters, list_parameters
from ..schemas import AggregateResult, Problem, ResourceSchemas
from ..schemas.problem import PROBLEM_MEDIA_TYPE
from .actions import add_action_routes
from .descriptions import operation_description
from .endpoints import EndpointFactory
from .links import Responses, response_links
from .route import GatewayRoute, share_path_methods
from .security import access_parameter, open_security

DEFAULT_MAX_BODY_SIZE = 1024 * 1024
PROBLEM_REF = "#/components/schemas/Problem"
BODY_ACTIONS = ("create", "replace", "update")

ERROR_DESCRIPTIONS = {
    428: "This resource requires If-Match on writes.",
    412: "If-Match names an outdated version of the resource.",
    413: "The body is larger than the configured limit.",
    415: "The body is not JSON.",
    401: "Missing or invalid credentials.",
    403: "The credentials lack a required scope (named in the message).",
    400: "The request body or a query parameter could not be read (the message lists the "
    "allowed names).",
    404: "The resource, or one of its parents on this path, does not exist.",
    409: "The change conflicts with existing data.",
    422: "The request contains invalid values.",
    503: "The database is not available; retry later.",
}


def build_router(
    plan: GatewayPlan,
    schemas: Mapping[str, ResourceSchemas],
    max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
) -> GatewayRouter:
    links = response_links(plan)
    stores = {
        resource.key: ResourceStore(plan, resource, schemas[resource.key]) for resource in plan
    }
    for store in stores.values():
        store.child_stores = {key: stores[key] for key in store.resource.writable_children}
    routers: dict[str, APIRouter] = {}
    carrier = _problem_carrier(plan)
    for resource in plan:
        routers[resource.key] = router = ResourceRouter(resource.segment)
        tenant_fields = tuple(
            level.security.tenant_field
            for level in plan.lineage(resource)
            if level.security.tenant_field is not None
        )
        access = {
            op.action: access_parameter(resource, op.action, tenant_fields=tenant_fields)
            for op in resource.operations
        }
        endpoints = EndpointFactory(resource, stores, access)
        for operation in resource.operations:
            extra = links.get(operation.operation_id)
            _add_operation(
                router,
                resource,
                operation,
                endpoints,
                max_body_size,
                links=extra,
                problem_model=operation is carrier,
            )
        add_action_routes(router, plan, stores[resource.key], tenant_fields, max_body_size)
        share_path_methods(router.routes)
    return _combine(plan, routers)


class ResourceRouter(APIRouter):
    """The routes of one resource.

    FastAPI tries an application's routes one after another, twice per request; a router
    per resource that declines at once when its path segment is absent from the request
    path keeps a request from being tried against every route of the gateway.
    """

    def __init__(self, segment: str) -> None:
        super().__init__(route_class=GatewayRoute)
        self.segment = f"/{segment}"

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self.segment not in scope.get("path", ""):
            return Match.NONE, {}
        return super().matches(scope)


class GatewayRouter(APIRouter):
    """``Gateway.router``: every resource's router, included in plan order."""

    def __init__(self, plan: GatewayPlan, resource_routers: tuple[APIRouter, ...]) -> None:
        super().__init__(route_class=GatewayRoute)
        self.plan = plan
        self.resource_routers = resource_routers


def include_gateway(app: FastAPI, router: APIRouter, prefix: str = "") -> None:
    """``app.include_router(router, prefix=prefix)``, with the resources' routers included
    one by one: the same routes in the same order, but FastAPI builds each route once for
    ``app``, where including the whole router without a prefix builds every route twice more
    (FastAPI checks that no included path is empty through every nested router)."""
    for part in _parts(router):
        app.include_router(part, prefix=prefix)
    if isinstance(router, GatewayRouter):  # `djgateway routes` shows the paths as served
        app.state.djgateway_mounts = (*mounted_plans(app), (router.plan, prefix))


def mounted_plans(app: FastAPI) -> tuple[tuple[GatewayPlan, str], ...]:
    """The plans of the gateways `include_gateway` put into `app`, with their prefixes."""
    return tuple(getattr(app.state, "djgateway_mounts", ()))


def _parts(router: APIRouter) -> tuple[APIRouter, ...]:
    """The resources' routers, while ``router`` holds nothing else (FastAPI keeps an
    inclusion as one route naming the included router); else ``router`` itself."""
    parts = getattr(router, "resource_routers", ())
    included = tuple(getattr(route, "original_router", None) for route in router.routes)
    if parts and included == parts:
        return tuple(parts)
    return (router,)


def resolve_routes(app: FastAPI) -> None:
    """Build now what FastAPI builds for the first request (or document) of ``app``: the
    routes of every included router, under the inclusion's prefix."""
    # FastAPI versions that include routers lazily; older ones copy the routes at inclusion
    iter_route_contexts = getattr(routing, "iter_route_contexts", None)
    if iter_route_contexts is not None:
        for _context in iter_route_contexts(app.routes):
            pass


def _problem_carrier(plan: GatewayPlan) -> Operation | None:
    """The one operation whose 503 response names the ``Problem`` model.

    Every error response refers to ``#/components/schemas/Problem`` by hand; FastAPI puts the
    schema there when one response of the router names the model. Naming it on every error
    response (2,600 in oscar) would cost FastAPI a pydantic ``TypeAdapter`` each, at every
    inclusion of the router, for the same ``$ref``.
    """
    return next((resource.operations[0] for resource in plan if resource.operations), None)


def _combine(plan: GatewayPlan, routers: dict[str, APIRouter]) -> GatewayRouter:
    """One router holding every resource's router, in plan order (parents first), which is
    also the order of the OpenAPI document and of the tags in /docs."""
    root = GatewayRouter(plan, tuple(routers[resource.key] for resource in plan))
    for router in root.resource_routers:
        root.include_router(router)
    return root


def _add_operation(
    router: APIRouter,
    resource: ResourcePlan,
    operation: Operation,
    endpoints: EndpointFactory,
    max_body_size: int | None,
    *,
    links: Responses | None = None,
    problem_model: bool = False,
) -> None:
    store = endpoints.store
    schemas = store.schemas
    response_model: Any = {
        "list": schemas.page,
        "retrieve": schemas.read,
        "create": schemas.created | schemas.bulk_created
        if schemas.bulk_created
        else schemas.created,
        "replace": schemas.synced or schemas.read,
        "update": schemas.read,
        "delete": None,
        "aggregate": AggregateResult,
        "link": None,
        "unlink": None,
        "list_related": _related_schemas(endpoints, operation).page,
    }[operation.action]
    query_parameters = {
        "list": list_parameters,
        "aggregate": aggregate_parameters,
        "list_related": list_parameters,
    }.get(operation.action)
    surface = (
        _related_schemas(endpoints, operation, surface=True)
        if operation.action == "list_related"
        else resource.query
    )
    openapi_extra = {
        **({"parameters": query_parameters(surface)} if query_parameters else {}),
        **open_security(resource),
    }
    router.add_api_route(
        operation.path,
        endpoints.build(operation),
        methods=[operation.method],
        status_code=operation.status_code,
        response_model=response_model,
        responses={
            **error_responses(resource, operation, problem_model=problem_model),
            **(links or {}),
        },
        operation_id=operation.operation_id,
        name=operation.operation_id,
        summary=operation.summary,
        tags=[resource.tag],
        response_description=_success_description(operation),
        description=operation_description(resource, operation),
        openapi_extra=openapi_extra or None,
    )
    route = router.routes[-1]
    if isinstance(route, GatewayRoute) and operation.action in BODY_ACTIONS:
        route.body_limit = max_body_size


def _related_schemas(
    endpoints: EndpointFactory, operation: Operation, surface: bool = False
) -> Any:
    """The target resource's page schema (or query surface) of a many-to-many sub-collection."""
    if operation.relation is None:
        return endpoints.store.schemas
    target = endpoints.stores[operation.relation.target_key]
    return target.resource.query if surface else target.schemas


def error_responses(
    resource: ResourcePlan, operation: Operation, *, problem_model: bool = False
) -> dict[int | str, Any]:
    """The problem responses of an operation; ``problem_model``: its 503 names the model."""
    has_body = operation.action in ("create", "replace", "update")
    has_query = operation.action in ("list", "aggregate", "list_related")
    has_path_params = bool(resource.ancestors) or operation.path != resource.collection_path
    codes = [503]
    if resource.security.secured:
        codes.extend((401, 403))
    if has_path_params:
        codes.extend((404, 422))
    if has_body:
        codes.extend((400, 413, 415, 422))
    if has_query:
        codes.append(400)
    if operation.action in ("create", "replace", "update", "delete"):
        codes.append(409)
    if operation.action in ("replace", "update", "delete"):
        codes.append(412)
        if resource.require_if_match:
            codes.append(428)
    return {
        code: _problem(code, model=problem_model and code == 503) for code in sorted(set(codes))
    }


def _problem(code: int, *, model: bool = False) -> dict[str, Any]:
    """Documented under both media types (what naming the model used to add for JSON)."""
    response: dict[str, Any] = {"model": Problem} if model else {}
    response["description"] = ERROR_DESCRIPTIONS[code]
    response["content"] = {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}},
        "application/json": {"schema": {"$ref": PROBLEM_REF}},
    }
    return response


def _success_description(operation: Operation) -> str:
    return {
        "list": "A page of items.",
        "retrieve": "The item.",
        "create": "The created item; its URL is in the Location header.",
        "replace": "The replaced item.",
        "update": "The updated item.",
        "delete": "The item was deleted.",
        "aggregate": "The aggregate, per group when group_by is given.",
        "link": "The rows are linked.",
        "unlink": "The rows are no longer linked.",
        "list_related": "A page of the linked items.",
    }[operation.action]
