"""Custom endpoints (``Gateway.action``) as routes of their resource's router: the resource's
security dependency, path parameters and problem responses, the function's body and answer.

The endpoint is a plain ``def`` (FastAPI's worker thread); its ORM work, the function's too,
runs inside ``request_scope()`` (``orm/actions.py``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any, Union

from fastapi import APIRouter, Body, Request, Response

from ..errors import ApiError
from ..introspect import FieldInfo
from ..orm import ResourceStore, caller_for, request_scope
from ..orm.actions import run_action
from ..orm.etags import etag_of
from ..plan import GatewayPlan, ResourcePlan
from ..plan.actions import ActionPlan
from ..security import ANONYMOUS
from .endpoints import JSON, path_type
from .route import GatewayRoute
from .security import access_parameter, open_security

Endpoint = Callable[..., Response]


def add_action_routes(
    router: APIRouter,
    plan: GatewayPlan,
    store: ResourceStore,
    tenant_fields: tuple[FieldInfo, ...],
    max_body_size: int | None,
) -> None:
    """Add the actions declared on ``store``'s resource to its router."""
    for action in plan.actions_of(store.resource.key):
        add_action_route(router, action, store, tenant_fields, max_body_size)


def add_action_route(
    router: APIRouter,
    action: ActionPlan,
    store: ResourceStore,
    tenant_fields: tuple[FieldInfo, ...],
    max_body_size: int | None,
) -> None:
    resource = store.resource
    access = _access(resource, action, tenant_fields)
    router.add_api_route(
        action.path,
        action_endpoint(action, store, access),
        methods=[action.method],
        status_code=action.status_code,
        response_model=_response_model(action, store),
        responses={**_problems(resource, action), **_nothing(action)},
        operation_id=action.operation_id,
        name=action.operation_id,
        summary=action.summary,
        tags=[resource.tag],
        response_description="Done." if action.status_code == 204 else "The result.",
        description=_description(resource, action),
        openapi_extra=open_security(resource) or None,
    )
    route = router.routes[-1]
    if isinstance(route, GatewayRoute) and action.body is not None:
        route.body_limit = max_body_size


def action_endpoint(action: ActionPlan, store: ResourceStore, access: Any) -> Endpoint:
    resource = store.resource

    def endpoint(request: Request, **kwargs: Any) -> Response:
        caller = caller_for(resource, kwargs.get("access") or ANONYMOUS)
        ids = {link.param: kwargs[link.param] for link in resource.ancestors}
        pk = kwargs.get(resource.id_param) if action.on == "item" else None
        if_match = _if_match(request, resource, action)
        with request_scope():
            body = run_action(
                store, action, ids, pk, caller, body=kwargs.get("payload"), if_match=if_match
            )
        if body is None:
            return Response(status_code=204)
        return Response(body, media_type=JSON, headers={"ETag": etag_of(body)})

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter("request", keyword, annotation=Request)]
    parameters.extend(
        inspect.Parameter(link.param, keyword, annotation=path_type(link.pk))
        for link in resource.ancestors
    )
    if action.on == "item":
        pk_type = path_type(resource.model.pk)
        parameters.append(inspect.Parameter(resource.id_param, keyword, annotation=pk_type))
    body: Any = action.body
    if body is not None:
        parameters.append(inspect.Parameter("payload", keyword, annotation=Annotated[body, Body()]))
    if access is not None:
        parameters.append(inspect.Parameter("access", keyword, annotation=access))
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = f"{resource.key}.{action.name}"
    return endpoint


def _access(
    resource: ResourcePlan, action: ActionPlan, tenant_fields: tuple[FieldInfo, ...]
) -> Any:
    """The generated routes' security dependency, requiring the action's scopes."""
    key = f"action:{action.name}"
    security = replace(resource.security, required={key: action.required})
    return access_parameter(replace(resource, security=security), key, tenant_fields=tenant_fields)


def _if_match(request: Request, resource: ResourcePlan, action: ActionPlan) -> str | None:
    """``If-Match`` of a write on an item, checked against the locked row (412 when stale)."""
    if action.on != "item" or not action.writes:
        return None
    if_match = request.headers.get("if-match")
    if if_match is None and resource.require_if_match:
        raise ApiError(428, "Precondition Required", "Send If-Match with the ETag you last read.")
    return if_match


def _response_model(action: ActionPlan, store: ResourceStore) -> Any:
    options = [
        *([store.schemas.read] if action.result.model else []),
        *([action.result.schema] if action.result.schema is not None else []),
    ]
    if len(options) > 1:
        return Union[tuple(options)]  # noqa: UP007 (a union built at run time)
    return options[0] if options else None


def _nothing(action: ActionPlan) -> dict[int | str, Any]:
    """The 204 of a function that may also answer something."""
    if action.result.nothing and action.status_code != 204:
        return {204: {"description": "Done; nothing to answer."}}
    return {}


def _problems(resource: ResourcePlan, action: ActionPlan) -> dict[int | str, Any]:
    from .router import _problem  # the generated routes' documents (router imports us)

    codes = {503, 422}  # 422: a ValidationError raised by the function, or a bad path id
    if resource.security.secured:
        codes |= {401, 403}
    if resource.ancestors or action.on == "item":
        codes.add(404)
    if action.body is not None:
        codes |= {400, 413, 415}
    if action.writes:
        codes.add(409)
        if action.on == "item":
            codes |= {412, 428} if resource.require_if_match else {412}
    return {code: _problem(code) for code in sorted(codes)}


def _description(resource: ResourcePlan, action: ActionPlan) -> str | None:
    parts = [action.description] if action.description else []
    if resource.security.secured:
        required = action.required
        if required.scopes:
            source = (
                f" (inherited from {required.inherited_from})" if required.inherited_from else ""
            )
            scopes = ", ".join(f"`{s}`" for s in required.scopes)
            parts.append(f"Requires one of the scopes{source}: {scopes}.")
        else:
            parts.append("Requires authentication.")
    return "\n\n".join(parts) or None
