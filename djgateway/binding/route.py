"""``GatewayRoute``: every error leaves an operation as one problem+json body."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from http import HTTPStatus
from typing import Any

from django.db import InterfaceError, OperationalError
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Message, Receive, Scope, Send

from ..errors import ApiError, FieldError, not_found, service_unavailable, validation_failed
from ..schemas.problem import PROBLEM_MEDIA_TYPE, problem_body
from ..sentry import report_exception

logger = logging.getLogger("djgateway")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def problem_response(error: ApiError) -> Response:
    return Response(
        problem_body(error),
        status_code=error.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=error.headers,
    )


class GatewayRoute(APIRoute):
    body_limit: int | None = None  # bytes; set by the router for routes that take a body
    path_methods: frozenset[str] = frozenset()  # every method on this path; set by the router

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        literals = [part for part in path.split("/") if part and not part.startswith("{")]
        self.literal_segment = f"/{literals[-1]}" if literals else "/"

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # Routes are tried one after another; most fail this substring test, far cheaper
        # than FastAPI's regular expression and scope bookkeeping.
        if self.literal_segment not in scope.get("path", ""):
            return Match.NONE, {}
        return super().matches(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Starlette answers 405 from the first route whose path matches, and its ``Allow``
        # lists only that route's method; with one route per method, list the whole path's.
        methods = self.methods or set()
        if scope["type"] == "http" and scope["method"] not in methods:
            allowed = ", ".join(sorted(self.path_methods | methods))
            error = ApiError(
                405,
                "Method Not Allowed",
                f"{scope['method']} is not allowed here; allowed: {allowed}.",
                headers={"Allow": allowed},
            )
            await problem_response(error)(scope, receive, send)
            return
        await super().handle(scope, receive, send)

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        takes_body = self.body_field is not None

        async def handle(request: Request) -> Response:
            guard = BodyGuard(self.body_limit)
            try:
                if takes_body:
                    guard.install(request)
                return await handler(request)
            except Exception as exc:  # every error leaves as a problem document
                # FastAPI reports any failure while reading the body as a 400
                error = guard.error if guard.exceeded else as_problem(exc, request)
                return problem_response(error)

        return handle


def as_problem(exc: Exception, request: Request) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, RequestValidationError):
        return request_validation_error(exc)
    if isinstance(exc, HTTPException):
        return http_error(exc)
    if isinstance(exc, OperationalError | InterfaceError):
        return service_unavailable()
    if isinstance(exc, RecursionError):
        return ApiError(400, "Bad Request", "The JSON body is nested too deeply.")
    logger.exception("unhandled error in %s %s", request.method, request.url.path)
    return ApiError(
        500,
        "Internal Server Error",
        "The server failed to handle the request.",
        event_id=report_exception(exc),
    )


class BodyGuard:
    """415 for a body that is not JSON; 413 for a body over ``limit`` bytes, before it is read
    whole: at once when Content-Length says so, else as soon as the streamed bytes exceed it."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.exceeded = False
        self.error = ApiError(413, "Content Too Large", f"The body may be at most {limit} bytes.")

    def install(self, request: Request) -> None:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise ApiError(
                415,
                "Unsupported Media Type",
                "Send the body as application/json.",
                headers={"Accept": "application/json"},
            )
        if self.limit is None:
            return
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            raise self.error
        receive = request._receive
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if self.limit is not None and received > self.limit:
                self.exceeded = True
                raise self.error
            return message

        request._receive = counting_receive


def request_validation_error(exc: RequestValidationError) -> ApiError:
    errors = [
        FieldError(
            tuple(str(part) if not isinstance(part, int) else part for part in error["loc"]),
            str(error["msg"]),
            str(error["type"]),
        )
        for error in _body_branch(list(exc.errors()), exc.body)
    ]
    return validation_failed(errors)


def _body_branch(errors: list[dict[str, Any]], body: Any) -> list[dict[str, Any]]:
    """A body that may be an object or an array of them (``Resource(bulk_max=...)``): pydantic
    reports both union branches, each under its type's name (``["body", "X", "name"]``,
    ``["body", "list[X]", 1, "name"]``). Keep the branch of the body's shape, without the name:
    ``["body", 1, "name"]`` for an array, ``["body", "name"]`` for anything else."""
    tags = {
        error["loc"][1]
        for error in errors
        if len(error["loc"]) > 1 and error["loc"][0] == "body" and isinstance(error["loc"][1], str)
    }
    arrays = {t for t in tags if t.startswith("list[") and t.endswith("]") and t[5:-1] in tags}
    if not arrays:
        return errors
    objects = {tag[5:-1] for tag in arrays}
    wanted = arrays if isinstance(body, list) else objects
    kept = []
    for error in errors:
        loc = tuple(error["loc"])
        tag = loc[1] if len(loc) > 1 and loc[0] == "body" else None
        if tag in wanted:
            kept.append({**error, "loc": ("body", *loc[2:])})
        elif tag not in arrays | objects:
            kept.append(error)
    return kept


# RFC 9110's names where Python's differ (or did before 3.13): one problem type per status.
_TITLES = {413: "Content Too Large", 414: "URI Too Long", 422: "Unprocessable Content"}


def http_error(exc: HTTPException) -> ApiError:
    return ApiError(
        exc.status_code, _title(exc.status_code), str(exc.detail), headers=dict(exc.headers or {})
    )


def _title(status: int) -> str:
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install_problem_handlers(app: Starlette) -> None:
    """Answer what fails outside a gateway operation as problem+json too: an unknown path
    (404), and the ``HTTPException`` and request validation errors of the application's own
    routes. ``Gateway.app()`` calls it; an application that includes ``gateway.router``
    calls it itself."""
    app.add_exception_handler(HTTPException, _problem_handler)
    app.add_exception_handler(RequestValidationError, _problem_handler)


async def _problem_handler(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)  # no body allowed
    if isinstance(exc, HTTPException) and exc.status_code == 404 and exc.detail == "Not Found":
        return problem_response(not_found())  # Starlette's bare 404: no route matched the path
    return problem_response(as_problem(exc, request))


def share_path_methods(routes: Iterable[BaseRoute]) -> None:
    """Tell every ``GatewayRoute`` which methods its path serves, for the 405 ``Allow`` header."""
    gateway_routes = [route for route in routes if isinstance(route, GatewayRoute)]
    methods: dict[str, set[str]] = {}
    for route in gateway_routes:
        methods.setdefault(route.path, set()).update(route.methods or ())
    for route in gateway_routes:
        route.path_methods = frozenset(methods[route.path])
