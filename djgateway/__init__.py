"""djgateway: a Django model layer as a typed, documented REST API on FastAPI."""

from .errors import ApiError, ConfigurationError, FieldError, GatewayError
from .gateway import Gateway
from .resources import Resource
from .schemas import Problem, register_field

__all__ = [
    "ApiError",
    "ConfigurationError",
    "FieldError",
    "Gateway",
    "GatewayError",
    "Problem",
    "Resource",
    "register_field",
]

__version__ = "0.1.0"
