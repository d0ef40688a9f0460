"""Endpoint functions for the CRUD and aggregate actions, with signatures FastAPI can read.

Endpoints are plain ``def``s: FastAPI runs them in its thread pool, and all ORM work of a
request happens inside ``request_scope()`` in that one thread.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Body, Path, Request, Response

from ..errors import ApiError, forbidden
from ..introspect import FieldInfo
from ..orm import ResourceStore, caller_for, request_scope
from ..orm.etags import etag_of, none_match
from ..orm.nested import render, render_json
from ..orm.visibility import Caller, granted
from ..plan import Action, Operation, ResourcePlan
from ..plan.query_surface import AGGREGATE_FUNCTIONS
from ..plan.types import RelatedRoute
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


def conditional_read(request: Request, body: bytes) -> Response:
    """200 with an ETag, or 304 without a body when If-None-Match names it."""
    etag = etag_of(body)
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and none_match(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type=JSON, headers={"ETag": etag})


def list_context(key: str, ids: Iterable[Any]) -> str:
    """The rows a list route shows, to bind its cursors to: the resource and the path's ids."""
    return "/".join([key, *(str(value) for value in ids)])


def parse_prefer(header: str) -> dict[str, str]:
    """``Prefer: return=minimal, tx=rollback`` → ``{"return": "minimal", "tx": "rollback"}``."""
    preferences = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name:
            preferences[name.lower()] = value.strip().lower()
    return preferences


def written(request: Request, body: bytes, status: int, headers: dict[str, str]) -> Response:
    """The written representation, or with ``Prefer: return=minimal`` a 204 with headers only."""
    headers = {**headers, "ETag": etag_of(body)}
    if parse_prefer(request.headers.get("prefer", "")).get("return") == "minimal":
        return Response(
            status_code=204, headers={**headers, "Preference-Applied": "return=minimal"}
        )
    return Response(body, status_code=status, media_type=JSON, headers=headers)


class EndpointFactory:
    """Builds the endpoints of one resource; ``access`` is the annotation of the caller's
    credentials per action (``None`` for open routes)."""

    def __init__(
        self,
        resource: ResourcePlan,
        stores: dict[str, ResourceStore],
        access: dict[Action, Any],
    ) -> None:
        self.resource = resource
        self.stores = stores
        self.store = stores[resource.key]
        self.access = access

    def build(self, operation: Operation) -> Endpoint:
        if operation.relation is not None:
            related: Callable[[Operation], Endpoint] = getattr(self, f"_{operation.action}")
            return related(operation)
        builder: Callable[[], Endpoint] = getattr(self, f"_{operation.action}")
        return builder()

    def _caller(self, kwargs: dict[str, Any]) -> Caller:
        return caller_for(self.resource, kwargs.get("access") or ANONYMOUS)

    def _if_match(self, request: Request) -> str | None:
        if_match = request.headers.get("if-match")
        if if_match is None and self.resource.require_if_match:
            raise ApiError(
                428, "Precondition Required", "Send If-Match with the ETag you last read."
            )
        return if_match

    def _ids(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {link.param: kwargs[link.param] for link in self.resource.ancestors}

    def _list(self) -> Endpoint:
        store = self.store

        def endpoint(request: Request, **kwargs: Any) -> Response:
            caller = self._caller(kwargs)
            query = parse_list_query(
                store.surface(caller),
                request.query_params.multi_items(),
                prefer=request.headers.get("prefer", ""),
                full_text=store.full_text,
                context=list_context(self.resource.key, self._ids(kwargs).values()),
            )
            with request_scope():
                body = store.list_page(self._ids(kwargs), query, caller)
            return conditional_read(request, body)

        return self._signature(endpoint, "list", item=False)

    def _retrieve(self) -> Endpoint:
        def endpoint(request: Request, **kwargs: Any) -> Response:
            pk = kwargs[self.resource.id_param]
            with request_scope():
                body = self.store.retrieve(self._ids(kwargs), pk, self._caller(kwargs))
            return conditional_read(request, body)

        return self._signature(endpoint, "retrieve", item=True)

    def _create(self) -> Endpoint:
        store = self.store

        def endpoint(request: Request, payload: Any, **kwargs: Any) -> Response:
            ids, caller = self._ids(kwargs), self._caller(kwargs)
            if isinstance(payload, list):  # bulk create (Resource(bulk_max=...))
                with request_scope():
                    trees = store.create_many(ids, payload, caller)
                    items = [render(store, ids, tree, caller) for tree in trees]
                return written(request, render_json({"items": items}), 201, {})
            with request_scope():
                tree = store.create_tree(ids, payload, caller)
                if store.schemas.child_keys:
                    body = render_json(render(store, ids, tree, caller))
                else:
                    body = store.retrieve(ids, tree.pk, caller, just_written=True)
            location = f"{request.url.path.rstrip('/')}/{quote(str(tree.pk), safe='')}"
            return written(request, body, 201, {"Location": location})

        return self._signature(endpoint, "create", item=False, body=store.schemas.post_body)

    def _replace(self) -> Endpoint:
        return self._write("replace", self.store.schemas.replace)

    def _update(self) -> Endpoint:
        return self._write("update", self.store.schemas.patch)

    def _write(self, action: Action, schema: Any) -> Endpoint:
        store = self.store

        def endpoint(request: Request, payload: Any, **kwargs: Any) -> Response:
            ids, caller = self._ids(kwargs), self._caller(kwargs)
            pk = kwargs[self.resource.id_param]
            if_match = self._if_match(request)
            if action == "replace" and store.schemas.child_keys:
                return self._sync(
                    request, ids=ids, pk=pk, payload=payload, caller=caller, if_match=if_match
                )
            with request_scope():
                store.update(
                    ids, pk, payload, caller, replace=action == "replace", if_match=if_match
                )
                body = store.retrieve(ids, pk, caller, just_written=True)
            return written(request, body, 200, {})

        return self._signature(endpoint, action, item=True, body=schema)

    def _sync(
        self,
        request: Request,
        *,
        ids: dict[str, Any],
        pk: Any,
        payload: Any,
        caller: Caller,
        if_match: str | None,
    ) -> Response:
        """PUT with writable children; ``Prefer: tx=rollback`` and ``max-affected=N`` apply."""
        preferences = parse_prefer(request.headers.get("prefer", ""))
        dry_run = preferences.get("tx") == "rollback"
        limit = preferences.get("max-affected")
        if limit is not None and not limit.isdigit():
            raise ApiError(400, "Bad Request", "Prefer: max-affected takes a number.")
        with request_scope():
            body = self.store.sync(
                ids,
                pk,
                payload,
                caller,
                if_match=if_match,
                dry_run=dry_run,
                max_affected=int(limit) if limit is not None else None,
            )
        response = written(request, body, 200, {})
        if dry_run:
            applied = response.headers.get("preference-applied")
            response.headers["Preference-Applied"] = ", ".join(
                filter(None, [applied, "tx=rollback"])
            )
        return response

    def _related(self, operation: Operation) -> RelatedRoute:
        assert operation.relation is not None
        return operation.relation

    def _link(self, operation: Operation) -> Endpoint:
        return self._linking(operation, add=True)

    def _unlink(self, operation: Operation) -> Endpoint:
        return self._linking(operation, add=False)

    def _linking(self, operation: Operation, *, add: bool) -> Endpoint:
        related = self._related(operation)
        target = self.stores[related.target_key].resource

        def endpoint(**kwargs: Any) -> Response:
            pk, target_pk = kwargs[self.resource.id_param], kwargs[related.target_param]
            with request_scope():
                self.store.link(
                    self._ids(kwargs), pk, related, target_pk, self._caller(kwargs), add=add
                )
            return Response(status_code=204)

        keyword = inspect.Parameter.KEYWORD_ONLY
        target_id = inspect.Parameter(
            related.target_param, keyword, annotation=path_type(target.model.pk)
        )
        return self._signature(endpoint, operation.action, item=True, extra=[target_id])

    def _list_related(self, operation: Operation) -> Endpoint:
        related = self._related(operation)
        target_store = self.stores[related.target_key]
        target = target_store.resource

        def endpoint(request: Request, **kwargs: Any) -> Response:
            caller = self._caller(kwargs)
            # the related rows as the target's own list route shows them to this caller
            target_access = granted(target, "list", caller.access)
            if target_access is None:
                raise forbidden(f"Listing {target.key} needs one of its read scopes.")
            target_caller = caller_for(target, target_access)
            query = parse_list_query(
                target_store.surface(target_caller),
                request.query_params.multi_items(),
                prefer=request.headers.get("prefer", ""),
                full_text=target_store.full_text,
                context=list_context(
                    f"{self.resource.key}.{related.field.name}",
                    [*self._ids(kwargs).values(), kwargs[self.resource.id_param]],
                ),
            )
            pk = kwargs[self.resource.id_param]
            with request_scope():
                linked = self.store.related_rows(self._ids(kwargs), pk, related, caller)
                body = target_store.list_page({}, query, target_caller, related_to=linked)
            return conditional_read(request, body)

        return self._signature(endpoint, operation.action, item=True)

    def _delete(self) -> Endpoint:
        def endpoint(request: Request, **kwargs: Any) -> Response:
            pk = kwargs[self.resource.id_param]
            if_match = self._if_match(request)
            with request_scope():
                self.store.delete(self._ids(kwargs), pk, self._caller(kwargs), if_match)
            return Response(status_code=204)

        return self._signature(endpoint, "delete", item=True)

    def _aggregate(self) -> Endpoint:
        resource, store = self.resource, self.store
        surface = resource.query

        def endpoint(request: Request, function: str, field: str, **kwargs: Any) -> Response:
            caller = self._caller(kwargs)
            query = parse_aggregate_query(
                store.surface(caller),
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
