"""Endpoint functions for the CRUD and aggregate actions, with signatures FastAPI can read.

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
from ..orm import ResourceStore, caller_for, request_scope
from ..orm.visibility import Caller
from ..plan import Action, ResourcePlan
from ..plan.query_surface import AGGREGATE_FUNCTIONS, restrict
from ..query import parse_aggregate_query, parse_list_query
from ..schemas.fields import INTEGER_RANGES
from ..security import ANONYMOUS

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


class EndpointFactory:
    """Builds the endpoints of one resource; ``access`` is the annotation of the caller's
    credentials per action (``None`` for open routes)."""

    def __init__(
        self, resource: ResourcePlan, store: ResourceStore, access: dict[Action, Any]
    ) -> None:
        self.resource = resource
        self.store = store
        self.access = access

    def build(self, action: Action) -> Endpoint:
        builder: Callable[[], Endpoint] = getattr(self, f"_{action}")
        return builder()

    def _caller(self, kwargs: dict[str, Any]) -> Caller:
        return caller_for(self.resource, kwargs.get("access") or ANONYMOUS)

    def _ids(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {link.param: kwargs[link.param] for link in self.resource.ancestors}

    def _list(self) -> Endpoint:
        resource, store = self.resource, self.store

        def endpoint(request: Request, **kwargs: Any) -> Response:
            caller = self._caller(kwargs)
            query = parse_list_query(
                restrict(resource.query, caller.hidden),
                request.query_params.multi_items(),
                prefer=request.headers.get("prefer", ""),
                full_text=store.full_text,
            )
            with request_scope():
                body = store.list_page(self._ids(kwargs), query, caller)
            return Response(body, media_type=JSON)

        return self._signature(endpoint, "list", item=False)

    def _retrieve(self) -> Endpoint:
        def endpoint(**kwargs: Any) -> Response:
            pk = kwargs[self.resource.id_param]
            with request_scope():
                body = self.store.retrieve(self._ids(kwargs), pk, self._caller(kwargs))
            return Response(body, media_type=JSON)

        return self._signature(endpoint, "retrieve", item=True)

    def _create(self) -> Endpoint:
        store = self.store

        def endpoint(request: Request, payload: Any, **kwargs: Any) -> Response:
            ids, caller = self._ids(kwargs), self._caller(kwargs)
            with request_scope():
                pk = store.create(ids, payload, caller)
                body = store.retrieve(ids, pk, caller, just_written=True)
            location = f"{request.url.path.rstrip('/')}/{quote(str(pk), safe='')}"
            headers = {"Location": location}
            return Response(body, status_code=201, media_type=JSON, headers=headers)

        return self._signature(endpoint, "create", item=False, body=store.schemas.create)

    def _replace(self) -> Endpoint:
        return self._write("replace", self.store.schemas.replace)

    def _update(self) -> Endpoint:
        return self._write("update", self.store.schemas.patch)

    def _write(self, action: Action, schema: Any) -> Endpoint:
        store = self.store

        def endpoint(payload: Any, **kwargs: Any) -> Response:
            ids, caller = self._ids(kwargs), self._caller(kwargs)
            pk = kwargs[self.resource.id_param]
            with request_scope():
                store.update(ids, pk, payload, caller, replace=action == "replace")
                body = store.retrieve(ids, pk, caller, just_written=True)
            return Response(body, media_type=JSON)

        return self._signature(endpoint, action, item=True, body=schema)

    def _delete(self) -> Endpoint:
        def endpoint(**kwargs: Any) -> Response:
            pk = kwargs[self.resource.id_param]
            with request_scope():
                self.store.delete(self._ids(kwargs), pk, self._caller(kwargs))
            return Response(status_code=204)

        return self._signature(endpoint, "delete", item=True)

    def _aggregate(self) -> Endpoint:
        resource, store = self.resource, self.store
        surface = resource.query

        def endpoint(request: Request, function: str, field: str, **kwargs: Any) -> Response:
            caller = self._caller(kwargs)
            query = parse_aggregate_query(
                restrict(surface, caller.hidden),
                function,
                field,
                request.query_params.multi_items(),
                store.full_text,
            )
            with request_scope():
                ids = self._ids(kwargs)
                body = store.aggregate(ids, query, surface.max_groups, caller)
            return Response(body, media_type=JSON)

        keyword = inspect.Parameter.KEYWORD_ONLY
        functions = Literal[AGGREGATE_FUNCTIONS]  # type: ignore[valid-type]
        fields = Literal[tuple(surface.aggregate_fields)]  # type: ignore[valid-type]
        extra = [
            inspect.Parameter("function", keyword, annotation=Annotated[functions, Path()]),
            inspect.Parameter("field", keyword, annotation=Annotated[fields, Path()]),
        ]
        return self._signature(endpoint, "aggregate", item=False, extra=extra)

    def _signature(
        self,
        endpoint: Endpoint,
        action: Action,
        *,
        item: bool,
        body: Any = None,
        extra: list[inspect.Parameter] | None = None,
    ) -> Endpoint:
        """Give ``endpoint`` the signature FastAPI reads: request, path ids, body, access."""
        resource = self.resource
        keyword = inspect.Parameter.KEYWORD_ONLY
        parameters = [
            inspect.Parameter(link.param, keyword, annotation=path_type(link.pk))
            for link in resource.ancestors
        ]
        if item:
            pk_type = path_type(resource.model.pk)
            parameters.append(inspect.Parameter(resource.id_param, keyword, annotation=pk_type))
        parameters.extend(extra or ())
        if "request" in inspect.signature(endpoint).parameters:
            parameters.insert(0, inspect.Parameter("request", keyword, annotation=Request))
        if body is not None:
            annotation = Annotated[body, Body()]
            parameters.append(inspect.Parameter("payload", keyword, annotation=annotation))
        if self.access.get(action) is not None:
            parameters.append(inspect.Parameter("access", keyword, annotation=self.access[action]))
        endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Response)  # type: ignore[attr-defined]
        endpoint.__name__ = f"{resource.key}.{action}"
        return endpoint
