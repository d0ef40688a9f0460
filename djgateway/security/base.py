"""The authentication interface: credentials in, ``Access`` out (or a 401)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Literal

from .access import Access

CredentialKind = Literal["bearer", "cookie"]


class Authenticator(ABC):
    """Turns the credentials of a request into an ``Access``.

    ``kind`` says where credentials travel (an ``Authorization: Bearer`` header or a cookie);
    the binding layer turns it into a FastAPI security scheme, so it is documented in
    OpenAPI's ``securitySchemes``.
    """

    kind: CredentialKind = "bearer"
    scheme_name: str = "bearer"
    cookie_name: str = ""
    uses_database: bool = False  # run in the worker thread, between request signals

    @abstractmethod
    def authenticate(self, credentials: str | None) -> Access:
        """Return the caller's access or raise ``errors.unauthorized(...)``."""
