"""djgateway: a Django model layer as a typed, documented REST API on FastAPI."""

from typing import TYPE_CHECKING, Any

from .errors import ApiError, ConfigurationError, FieldError, GatewayError
from .gateway import Gateway
from .resources import Resource
from .schemas import Problem, register_field
from .security import (
    Access,
    Authenticator,
    DjangoSessionAuth,
    FieldScopes,
    JWTBearer,
    Scope,
    Scopes,
)
from .signalling import request_signalling

if TYPE_CHECKING:
    from .binding import install_offline_docs, install_openapi, install_problem_handlers

__all__ = [
    "Access",
    "ApiError",
    "Authenticator",
    "ConfigurationError",
    "DjangoSessionAuth",
    "FieldError",
    "FieldScopes",
    "Gateway",
    "GatewayError",
    "JWTBearer",
    "Problem",
    "Resource",
    "Scope",
    "Scopes",
    "install_offline_docs",
    "install_openapi",
    "install_problem_handlers",
    "register_field",
    "request_signalling",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # FastAPI is imported only by the binding layer, and only when asked for.
    if name in ("install_offline_docs", "install_openapi", "install_problem_handlers"):
        from . import binding

        return getattr(binding, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
