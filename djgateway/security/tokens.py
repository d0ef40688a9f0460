"""JWT bearer tokens verified with PyJWT (explicit algorithms, key or JWKS, iss, aud, exp, nbf)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import jwt as pyjwt

from ..errors import ApiError, ConfigurationError, unauthorized
from .access import Access
from .base import Authenticator


class JWTBearer(Authenticator):
    """Verify ``Authorization: Bearer <jwt>`` and map its claims to an ``Access``.

    key:          the HMAC secret or public key (PEM), or use ``jwks`` (a JWKS document as a
                  dict) / ``jwks_url`` (fetched and cached by PyJWT's ``PyJWKClient``).
    algorithms:   the accepted algorithms; ``none`` is never accepted.
    scopes_claim: where scopes are (``scope`` / ``scp`` / djfapi's ``aud``): a space-separated
                  string or a list.
    tenant_claim: where the tenant id is (djfapi: ``ten``).
    """

    kind = "bearer"

    def __init__(
        self,
        key: str | bytes | None = None,
        *,
        algorithms: Sequence[str] = ("HS256",),
        jwks: Mapping[str, Any] | None = None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        audience: str | Sequence[str] | None = None,
        scopes_claim: str = "scope",
        tenant_claim: str = "ten",
        subject_claim: str = "sub",
        required_claims: Sequence[str] = ("exp",),
        leeway: float = 0,
        scheme_name: str = "JWT",
    ) -> None:
        if not algorithms or any(a.lower() == "none" for a in algorithms):
            raise ConfigurationError(
                "djgateway.E020", "JWTBearer needs an explicit list of algorithms without 'none'"
            )
        if sum(x is not None for x in (key, jwks, jwks_url)) != 1:
            raise ConfigurationError(
                "djgateway.E020", "JWTBearer needs exactly one of key=, jwks= or jwks_url="
            )
        self.key = key
        self.algorithms = list(algorithms)
        self.jwk_set = pyjwt.PyJWKSet.from_dict(dict(jwks)) if jwks is not None else None
        self.jwk_client = pyjwt.PyJWKClient(jwks_url) if jwks_url else None
        self.issuer = issuer
        self.audience = audience
        self.scopes_claim = scopes_claim
        self.tenant_claim = tenant_claim
        self.subject_claim = subject_claim
        self.required_claims = list(required_claims)
        self.leeway = leeway
        self.scheme_name = scheme_name

    def authenticate(self, credentials: str | None) -> Access:
        if not credentials:
            raise _token_required()
        try:
            claims = pyjwt.decode(
                credentials,
                self._key(credentials),
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={
                    "require": self.required_claims,
                    # scopes in "aud" (djfapi) are not an audience to check
                    "verify_aud": self.audience is not None,
                },
            )
        except pyjwt.PyJWTError as exc:
            raise unauthorized(f"The bearer token is not valid: {_reason(exc)}.") from None
        return self._access(claims)

    def mint(self, claims: Mapping[str, Any], *, expires_in: int = 3600) -> str:
        """Sign a token with ``key`` (development and tests; needs a symmetric or private key)."""
        if self.key is None:
            raise ConfigurationError("djgateway.E021", "mint() needs JWTBearer(key=...)")
        now = int(time.time())
        payload = {"iat": now, "exp": now + expires_in, **claims}
        if self.issuer and "iss" not in payload:
            payload["iss"] = self.issuer
        if isinstance(self.audience, str) and "aud" not in payload:
            payload["aud"] = self.audience
        return pyjwt.encode(payload, self.key, algorithm=self.algorithms[0])

    def _key(self, token: str) -> Any:
        if self.jwk_client is not None:
            return self.jwk_client.get_signing_key_from_jwt(token)
        if self.jwk_set is not None:
            kid = pyjwt.get_unverified_header(token).get("kid")
            try:
                return self.jwk_set[kid] if kid else self.jwk_set.keys[0]
            except KeyError:
                raise pyjwt.InvalidKeyError("unknown key id") from None
        return self.key

    def _access(self, claims: Mapping[str, Any]) -> Access:
        raw = claims.get(self.scopes_claim)
        if isinstance(raw, str):
            scopes = raw.split()
        elif raw is None or (isinstance(raw, list) and all(isinstance(s, str) for s in raw)):
            scopes = raw or []
        else:
            raise _malformed(self.scopes_claim, "a space-separated string or a list of strings")
        subject = claims.get(self.subject_claim)
        if subject is not None and not _is_identifier(subject):
            raise _malformed(self.subject_claim, "a string or an integer")
        tenant = claims.get(self.tenant_claim)
        if tenant is not None and not _is_identifier(tenant):
            raise _malformed(self.tenant_claim, "a string or an integer")
        return Access(
            subject=None if subject is None else str(subject),
            tenant_id=tenant,
            scopes=frozenset(scopes),
            claims=dict(claims),
            authenticated=True,
        )


def _is_identifier(value: Any) -> bool:
    """A subject or tenant: text, or an integer (a custom claim may carry a numeric id)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _token_required() -> ApiError:
    # RFC 6750 §3.1: a request without credentials gets the challenge without an error code
    # (``invalid_token`` is for a token that was sent).
    return ApiError(
        401, "Unauthorized", "A bearer token is required.", headers={"WWW-Authenticate": "Bearer"}
    )


def _malformed(claim: str, expected: str) -> ApiError:
    return unauthorized(f"The bearer token is not valid: its {claim!r} claim is not {expected}.")


def _reason(exc: pyjwt.PyJWTError) -> str:
    reasons: list[tuple[type[pyjwt.PyJWTError], str]] = [
        (pyjwt.ExpiredSignatureError, "it has expired"),
        (pyjwt.ImmatureSignatureError, "it is not valid yet"),
        (pyjwt.InvalidIssuerError, "wrong issuer"),
        (pyjwt.InvalidAudienceError, "wrong audience"),
        (pyjwt.InvalidSignatureError, "bad signature"),
        (pyjwt.InvalidAlgorithmError, "algorithm not allowed"),
        (pyjwt.MissingRequiredClaimError, "a required claim is missing"),
    ]
    for kind, reason in reasons:
        if isinstance(exc, kind):
            return reason
    return "it cannot be decoded"
