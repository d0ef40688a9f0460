"""``GatewayRoute``: every error leaves an operation as one problem+json body."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from django.db import InterfaceError, OperationalError
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from ..errors import ApiError, FieldError, service_unavailable, validation_failed
from ..schemas.problem import PROBLEM_MEDIA_TYPE, problem_body

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
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                return problem_response(error)
            except RequestValidationError as exc:
                return problem_response(request_validation_error(exc))
            except HTTPException as exc:
                return problem_response(http_error(exc))
            except (OperationalError, InterfaceError):
                return problem_response(service_unavailable())
            except Exception:
                logger.exception("unhandled error in %s %s", request.method, request.url.path)
                return problem_response(
                    ApiError(
                        500, "Internal Server Error", "The server failed to handle the request."
                    )
                )

        return handle


def request_validation_error(exc: RequestValidationError) -> ApiError:
    errors = [
        FieldError(
            tuple(str(part) if not isinstance(part, int) else part for part in error["loc"]),
            str(error["msg"]),
            str(error["type"]),
        )
        for error in exc.errors()
    ]
    return validation_failed(errors)


def http_error(exc: HTTPException) -> ApiError:
    title = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}.get(
        exc.status_code, "Error"
    )
    return ApiError(exc.status_code, title, str(exc.detail), headers=dict(exc.headers or {}))
