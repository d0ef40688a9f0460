"""djgateway: a Django model layer as a typed, documented REST API on FastAPI."""

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
    "register_field",
]

__version__ = "0.1.0"
