"""The only layer that imports FastAPI / Starlette: plan + stores → ``APIRouter``."""

from .docs import install_offline_docs
from .openapi import install_openapi, openapi_document
from .route import install_problem_handlers
from .router import GatewayRouter, build_router, include_gateway, mounted_plans, resolve_routes

__all__ = [
    "GatewayRouter",
    "build_router",
    "include_gateway",
    "install_offline_docs",
    "install_openapi",
    "install_problem_handlers",
    "mounted_plans",
    "openapi_document",
    "resolve_routes",
]
