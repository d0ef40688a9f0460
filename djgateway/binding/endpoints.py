"""Endpoint functions for the six CRUD actions, with signatures FastAPI can read.

Endpoints are plain ``def``s: FastAPI runs them in its thread pool, and all ORM work of a
request happens inside ``request_scope()`` in that one thread.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Body, Path, Request, Response

from ..introspect import FieldInfo
from ..orm import ResourceStore, request_scope
from ..plan import Action, ResourcePlan
from ..plan.query_surface import AGGREGATE_FUNCTIONS
from ..query import parse_aggregate_query, parse_list_query
from ..schemas.fields import INTEGER_RANGES

JSON = "application/json"
Endpoint = Callable[..., Response]


def path_type(pk: FieldInfo) -> Any:
    """Path parameter type from the real primary key: int (with its range), UUID or str."""
    key = pk.relation.target_field if pk.relation else pk
    if key.internal_type in INTEGER_RANGES:
        low, high = INTEGER_RANGES[key.internal_type]
        return Annotated[int, Path(ge=low, le=high)]
    if key.internal_type == "UUIDField":
        return Annotated[uuid.UUID, Path()]
    return Annotated[str, Path(min_length=1, max_length=key.max_length)]


def build_endpoint(action: Action, resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    builders: dict[Action, Callable[[ResourcePlan, ResourceStore], Endpoint]] = {
        "list": _list,
        "retrieve": _retrieve,
        "create": _create,
        "replace": _replace,
        "update": _update,
        "delete": _delete,
        "aggregate": _aggregate,
    }
    return builders[action](resource, store)


def _parent_ids(resource: ResourcePlan, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {link.param: kwargs[link.param] for link in resource.ancestors}


def _list(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    def endpoint(request: Request, **kwargs: Any) -> Response:
        query = parse_list_query(
            resource.query,
            request.query_params.multi_items(),
            prefer=request.headers.get("prefer", ""),
            full_text=store.full_text,
        )
        with request_scope():
            body = store.list_page(_parent_ids(resource, kwargs), query)
        return Response(body, media_type=JSON)

    return _with_signature(endpoint, resource, item=False)


def _aggregate(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    surface = resource.query

    def endpoint(request: Request, function: str, field: str, **kwargs: Any) -> Response:
        query = parse_aggregate_query(
            surface, function, field, request.query_params.multi_items(), store.full_text
        )
        with request_scope():
            body = store.aggregate(_parent_ids(resource, kwargs), query, surface.max_groups)
        return Response(body, media_type=JSON)

    endpoint = _with_signature(endpoint, resource, item=False)
    keyword = inspect.Parameter.KEYWORD_ONLY
    functions = Literal[AGGREGATE_FUNCTIONS]  # type: ignore[valid-type]
    fields = Literal[tuple(surface.aggregate_fields)]  # type: ignore[valid-type]
    signature = inspect.signature(endpoint)
    endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            *signature.parameters.values(),
            inspect.Parameter("function", keyword, annotation=Annotated[functions, Path()]),
            inspect.Parameter("field", keyword, annotation=Annotated[fields, Path()]),
        ]
    )
    return endpoint


def _retrieve(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    def endpoint(**kwargs: Any) -> Response:
        with request_scope():
            body = store.retrieve(_parent_ids(resource, kwargs), kwargs[resource.id_param])
        return Response(body, media_type=JSON)

    return _with_signature(endpoint, resource, item=True)


def _create(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    def endpoint(request: Request, payload: Any, **kwargs: Any) -> Response:
        ids = _parent_ids(resource, kwargs)
        with request_scope():
            pk = store.create(ids, payload)
            body = store.retrieve(ids, pk)
        location = f"{request.url.path.rstrip('/')}/{quote(str(pk), safe='')}"
        return Response(body, status_code=201, media_type=JSON, headers={"Location": location})

    return _with_signature(endpoint, resource, item=False, body=store.schemas.create)


def _replace(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    return _write(resource, store, store.schemas.replace, replace=True)


def _update(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    return _write(resource, store, store.schemas.patch, replace=False)


def _write(resource: ResourcePlan, store: ResourceStore, schema: Any, *, replace: bool) -> Endpoint:
    def endpoint(payload: Any, **kwargs: Any) -> Response:
        ids = _parent_ids(resource, kwargs)
        pk = kwargs[resource.id_param]
        with request_scope():
            store.update(ids, pk, payload, replace=replace)
            body = store.retrieve(ids, pk)
        return Response(body, media_type=JSON)

    return _with_signature(endpoint, resource, item=True, body=schema)


def _delete(resource: ResourcePlan, store: ResourceStore) -> Endpoint:
    def endpoint(**kwargs: Any) -> Response:
        with request_scope():
            store.delete(_parent_ids(resource, kwargs), kwargs[resource.id_param])
        return Response(status_code=204)

    return _with_signature(endpoint, resource, item=True)


def _with_signature(
    endpoint: Endpoint, resource: ResourcePlan, *, item: bool, body: Any = None
) -> Endpoint:
    """Give ``endpoint`` the explicit signature FastAPI reads: path ids, then the body."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter(link.param, keyword, annotation=path_type(link.pk))
        for link in resource.ancestors
    ]
    if item:
        parameters.append(
            inspect.Parameter(resource.id_param, keyword, annotation=path_type(resource.model.pk))
        )
    own = inspect.signature(endpoint).parameters
    if "request" in own:
        parameters.insert(0, inspect.Parameter("request", keyword, annotation=Request))
    if body is not None:
        parameters.append(inspect.Parameter("payload", keyword, annotation=Annotated[body, Body()]))
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = f"{resource.key}.{endpoint.__name__}"
    return endpoint
