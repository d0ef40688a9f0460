"""Authentication and scope checks as FastAPI security dependencies (documented in OpenAPI)."""

# No ``from __future__ import annotations``: FastAPI must see the dependency's real annotations.
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.base import SecurityBase

from ..errors import forbidden
from ..orm import request_scope
from ..plan import ResourcePlan
from ..security import Access, Authenticator
from ..sentry import tag_access


@cache
def security_scheme(authenticator: Authenticator) -> SecurityBase:
    if authenticator.kind == "cookie":
        return APIKeyCookie(
            name=authenticator.cookie_name, scheme_name=authenticator.scheme_name, auto_error=False
        )
    return HTTPBearer(scheme_name=authenticator.scheme_name, bearerFormat="JWT", auto_error=False)


def access_parameter(resource: ResourcePlan, action: str, *, tenant_scoped: bool) -> Any:
    """The annotation of an endpoint's ``access`` parameter (``None``: the route is open).

    ``tenant_scoped``: the resource or an ancestor is filtered by tenant, so credentials
    without a tenant are refused rather than treated as "no filter".
    """
    security = resource.security
    authenticator = security.authenticator
    if authenticator is None:
        return None
    required = security.required[action].scopes
    scheme = security_scheme(authenticator)

    async def authenticate(
        credentials: Annotated[Any, Depends(scheme)],
    ) -> Access:
        token: str | None = (
            credentials.credentials
            if isinstance(credentials, HTTPAuthorizationCredentials)
            else credentials
        )
        if authenticator.uses_database:
            access = await run_in_threadpool(_authenticate_with_database, authenticator, token)
        else:
            access = authenticator.authenticate(token)
        if required and not access.has_any(required):
            raise forbidden(f"This operation needs one of the scopes: {', '.join(required)}.")
        tag_access(access)
        if tenant_scoped and access.tenant_id is None:
            raise forbidden("Your credentials carry no tenant; this resource is tenant-scoped.")
        return access.selecting(required)

    return Annotated[Access, Security(authenticate, scopes=list(required))]


def _authenticate_with_database(authenticator: Authenticator, token: str | None) -> Access:
    with request_scope():
        return authenticator.authenticate(token)
