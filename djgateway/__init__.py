"""djgateway: a Django model layer as a typed, documented REST API on FastAPI.

Every public name is imported on first use (PEP 562), so that importing a light submodule
(`djgateway.openapi`, the differ of `djgateway check-openapi`) does not import Django,
pydantic or FastAPI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .binding import install_offline_docs, install_openapi, install_problem_handlers
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

# public name -> the submodule that defines it
_HOMES = {
    "Access": "security",
    "ApiError": "errors",
    "Authenticator": "security",
    "ConfigurationError": "errors",
    "DjangoSessionAuth": "security",
    "FieldError": "errors",
    "FieldScopes": "security",
    "Gateway": "gateway",
    "GatewayError": "errors",
    "JWTBearer": "security",
    "Problem": "schemas",
    "Resource": "resources",
    "Scope": "security",
    "Scopes": "security",
    "install_offline_docs": "binding",
    "install_openapi": "binding",
    "install_problem_handlers": "binding",
    "register_field": "schemas",
    "request_signalling": "signalling",
}

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
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
