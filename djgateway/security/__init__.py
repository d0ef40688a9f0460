"""Access, scopes, authentication schemes and row filters. No FastAPI here."""

from .access import ANONYMOUS, Access, Scope
from .base import Authenticator
from .django_auth import DjangoSessionAuth
from .filters import prefix_q
from .scopes import FieldScopes, RequiredScopes, Scopes, inherited
from .tokens import JWTBearer

__all__ = [
    "ANONYMOUS",
    "Access",
    "Authenticator",
    "DjangoSessionAuth",
    "FieldScopes",
    "JWTBearer",
    "RequiredScopes",
    "Scope",
    "Scopes",
    "inherited",
    "prefix_q",
]
