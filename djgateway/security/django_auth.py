"""Django's own users: the session cookie → ``Access`` with the user's permissions as scopes."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest

from ..errors import unauthorized
from .access import Access
from .base import Authenticator


class DjangoSessionAuth(Authenticator):
    """Authenticate with Django's session cookie (needs ``django.contrib.sessions``).

    Scopes are ``user.get_all_permissions()`` (``app_label.codename``), as djfapi's
    ``JWTTokenDjangoPermissions`` did; the tenant id is read from ``tenant_attribute`` on the
    user when given.
    """

    kind = "cookie"
    uses_database = True

    def __init__(self, tenant_attribute: str | None = None, scheme_name: str = "session") -> None:
        self.tenant_attribute = tenant_attribute
        self.scheme_name = scheme_name
        self.cookie_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, credentials: str | None) -> Access:
        if not credentials:
            raise unauthorized("A session cookie is required.", scheme="Cookie")
        engine = import_module(settings.SESSION_ENGINE)
        request = HttpRequest()
        request.session = engine.SessionStore(credentials)
        user = get_user(request)
        if not user.is_authenticated:
            raise unauthorized("The session is not valid.", scheme="Cookie")
        tenant = getattr(user, self.tenant_attribute) if self.tenant_attribute else None
        return Access(
            subject=str(user.pk),
            tenant_id=tenant,
            scopes=frozenset(user.get_all_permissions()),
            claims={"username": user.get_username()},
            authenticated=True,
        )
