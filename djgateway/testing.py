"""Helpers for the tests of a project that serves a gateway (imports fastapi's TestClient).

- ``mint_token(tokens, subject=..., scopes=[...], tenant=...)``: a bearer token that
  ``tokens`` (a ``JWTBearer``) accepts, with the scopes, tenant and subject in the claims it
  reads them from and the issuer, audience and expiry it requires.
- ``GatewayClient(gateway, prefix="/api")``: a ``TestClient`` over ``gateway.app(prefix)`` (or
  any FastAPI app); ``client.as_caller(subject=..., scopes=[...], tenant=...)`` is the same
  client sending such a token.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Self

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .gateway import Gateway
from .security import JWTBearer

__all__ = ["GatewayClient", "bearer_headers", "gateway_authenticator", "mint_token"]


def mint_token(
    authenticator: JWTBearer,
    *,
    subject: str | int,
    scopes: Iterable[str] | str = (),
    tenant: Any = None,
    expires_in: int = 3600,
    claims: Mapping[str, Any] | None = None,
) -> str:
    """A token signed with ``authenticator``'s key that it verifies into an ``Access`` with this
    subject, these scopes and this tenant.

    The claims follow the authenticator's configuration: ``subject_claim``, ``scopes_claim``
    (a space-separated string for ``scope``, a list for any other claim) and ``tenant_claim``;
    ``iss`` and ``aud`` are its ``issuer`` and (first) ``audience``, ``exp`` is ``expires_in``
    seconds from now, and ``nbf`` / ``jti`` are added when ``required_claims`` asks for them.
    ``scopes`` may be a list or one space-separated string; a UUID tenant is sent as text.
    ``claims`` are added last and win (a malformed or expired token for a test, say).
    Needs ``JWTBearer(key=...)`` with a symmetric or private key (``djgateway.E021``
    otherwise).
    """
    payload: dict[str, Any] = {authenticator.subject_claim: _identifier(subject)}
    granted = scopes.split() if isinstance(scopes, str) else list(scopes)
    if granted:
        claim = authenticator.scopes_claim
        payload[claim] = " ".join(granted) if claim == "scope" else granted
    if tenant is not None:
        payload[authenticator.tenant_claim] = _identifier(tenant)
    audience = authenticator.audience
    if audience is not None and not isinstance(audience, str) and "aud" not in payload:
        payload["aud"] = next(iter(audience))  # mint() itself sets only a single audience
    if "nbf" in authenticator.required_claims:
        payload["nbf"] = int(time.time())
    if "jti" in authenticator.required_claims:
        payload["jti"] = uuid.uuid4().hex
    payload.update(claims or {})
    return authenticator.mint(payload, expires_in=expires_in)


def bearer_headers(authenticator: JWTBearer, **token: Any) -> dict[str, str]:
    """``{"Authorization": "Bearer <token>"}`` for ``mint_token(authenticator, **token)``."""
    return {"Authorization": f"Bearer {mint_token(authenticator, **token)}"}


def gateway_authenticator(gateway: Gateway) -> JWTBearer:
    """The one ``JWTBearer`` that guards ``gateway`` (its ``security=`` default or a resource's);
    ``ValueError`` when it has none or several (pass one to ``GatewayClient`` then)."""
    candidates = [gateway.options.security, *(r.security.authenticator for r in gateway.plan)]
    found = {id(c): c for c in candidates if isinstance(c, JWTBearer)}
    if len(found) != 1:
        what = "no JWTBearer" if not found else f"{len(found)} JWTBearers"
        raise ValueError(
            f"the gateway is guarded by {what}: pass GatewayClient(..., authenticator=...)"
        )
    return next(iter(found.values()))


class GatewayClient(TestClient):
    """A ``TestClient`` over a gateway's application, with callers that send bearer tokens.

    ``target`` is a ``Gateway`` (served by ``gateway.app(prefix=prefix, **app_options)``) or
    a FastAPI application (then ``prefix`` and ``app_options`` are not used). ``authenticator``
    mints the tokens of ``as_caller``; for a gateway it defaults to the one ``JWTBearer`` that
    guards it. Other keyword arguments go to ``TestClient`` (``raise_server_exceptions``,
    ``headers``, ...). Paths are requested as served, prefix included.
    """

    def __init__(
        self,
        target: Gateway | FastAPI,
        *,
        prefix: str = "",
        authenticator: JWTBearer | None = None,
        app_options: Mapping[str, Any] | None = None,
        **client_options: Any,
    ) -> None:
        self.gateway: Gateway | None
        if isinstance(target, Gateway):
            self.gateway = target
            app = target.app(prefix=prefix, **(app_options or {}))
        elif isinstance(target, FastAPI):
            self.gateway = None
            app = target
        else:
            raise TypeError(f"GatewayClient serves a Gateway or a FastAPI app, not {target!r}")
        self.served = app
        self._authenticator = authenticator
        self._client_options = client_options
        super().__init__(app, **client_options)

    def __enter__(self) -> Self:  # typed for the subclass (older Starlettes say TestClient)
        super().__enter__()
        return self

    @property
    def authenticator(self) -> JWTBearer:
        """The ``JWTBearer`` that mints this client's tokens."""
        if self._authenticator is None:
            if self.gateway is None:
                raise ValueError("a GatewayClient over a FastAPI app needs authenticator=...")
            self._authenticator = gateway_authenticator(self.gateway)
        return self._authenticator

    def as_caller(
        self,
        *,
        subject: str | int = "test-user",
        scopes: Iterable[str] | str = (),
        tenant: Any = None,
        expires_in: int = 3600,
        claims: Mapping[str, Any] | None = None,
    ) -> GatewayClient:
        """A client of the same application sending ``Authorization: Bearer <token>`` with a
        token from ``mint_token(self.authenticator, ...)`` on every request (this client is
        left as it is). A scope not granted here is a 403 from the gateway."""
        token = mint_token(
            self.authenticator,
            subject=subject,
            scopes=scopes,
            tenant=tenant,
            expires_in=expires_in,
            claims=claims,
        )
        caller = GatewayClient(
            self.served,
            authenticator=self.authenticator,
            **{**self._client_options, "headers": dict(self.headers)},
        )
        caller.gateway = self.gateway
        caller.headers["Authorization"] = f"Bearer {token}"
        return caller


def _identifier(value: Any) -> str | int:
    """A claim value ``JWTBearer`` accepts as a subject or tenant: an integer, or text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value)
