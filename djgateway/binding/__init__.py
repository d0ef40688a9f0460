"""The only layer that imports FastAPI / Starlette: plan + stores → ``APIRouter``."""

from .openapi import install_openapi, openapi_document
from .route import install_problem_handlers
from .router import GatewayRouter, build_router, include_gateway, resolve_routes

__all__ = [
    "GatewayRouter",
    "build_router",
    "include_gateway",
    "install_openapi",
    "install_problem_handlers",
    "openapi_document",
    "resolve_routes",
]
