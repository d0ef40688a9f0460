"""Authentication and scope checks as FastAPI security dependencies (documented in OpenAPI)."""

# No ``from __future__ import annotations``: FastAPI must see the dependency's real annotations.
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.base import SecurityBase

from ..errors import forbidden, unauthorized
from ..introspect import FieldInfo
from ..orm import request_scope
from ..plan import ResourcePlan
from ..plan.query_surface import kind_of
from ..query.values import parse_value
from ..security import Access, Authenticator
from ..sentry import tag_access


@cache
def security_scheme(authenticator: Authenticator) -> SecurityBase:
    if authenticator.kind == "cookie":
        return APIKeyCookie(
            name=authenticator.cookie_name, scheme_name=authenticator.scheme_name, auto_error=False
        )
    return HTTPBearer(scheme_name=authenticator.scheme_name, bearerFormat="JWT", auto_error=False)


def open_security(resource: ResourcePlan) -> dict[str, Any]:
    """``openapi_extra`` of an operation of ``resource``: ``security: []`` when it is open,
    so that a reader (or a linter) need not guess whether a missing requirement means open
    or forgotten. Secured operations get theirs from the security dependency."""
    return {} if resource.security.secured else {"security": []}


def access_parameter(
    resource: ResourcePlan, action: str, *, tenant_fields: tuple[FieldInfo, ...]
) -> Any:
    """The annotation of an endpoint's ``access`` parameter (``None``: the route is open).

    ``tenant_fields``: the tenant fields of the resource and its ancestors. When there are
    any, credentials without a tenant are refused rather than treated as "no filter", and
    a tenant that cannot be a value of them is a 401 (not an error in the filter).
    """
    tenant_scoped = bool(tenant_fields)
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
        if access.tenant_id is not None and not all(
            _is_tenant(field, access.tenant_id) for field in tenant_fields
        ):
            scheme_name = "Cookie" if authenticator.kind == "cookie" else "Bearer"
            raise unauthorized("Your credentials carry a malformed tenant id.", scheme_name)
        if required and not access.has_any(required):
            raise forbidden(f"This operation needs one of the scopes: {', '.join(required)}.")
        tag_access(access)
        if tenant_scoped and access.tenant_id is None:
            raise forbidden("Your credentials carry no tenant; this resource is tenant-scoped.")
        return access.selecting(required)

    return Annotated[Access, Security(authenticate, scopes=list(required))]


def _is_tenant(field: FieldInfo, tenant: Any) -> bool:
    """Whether ``tenant`` reads as a value of the tenant ``field``, as a filter value would."""
    if kind_of(field) == "other":
        return True  # nothing to read it as
    try:
        parse_value(field, str(tenant))
    except ValueError:
        return False
    return True


def _authenticate_with_database(authenticator: Authenticator, token: str | None) -> Access:
    with request_scope():
        return authenticator.authenticate(token)
