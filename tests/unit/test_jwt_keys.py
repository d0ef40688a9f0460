"""JWTBearer with a JWKS document: RS256 keys by kid, and no algorithm confusion."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from djgateway import ApiError, ConfigurationError, JWTBearer


@pytest.fixture(scope="module")
def key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def bearer(key: Any) -> JWTBearer:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return JWTBearer(jwks={"keys": [{**jwk, "kid": "k1", "use": "sig"}]}, algorithms=["RS256"])


def claims() -> dict[str, Any]:
    return {"sub": "u1", "scope": "a.b.read.any", "ten": "t1", "exp": int(time.time()) + 60}


def test_token_signed_with_a_published_key_is_accepted(key: Any, bearer: JWTBearer) -> None:
    token = jwt.encode(claims(), key, algorithm="RS256", headers={"kid": "k1"})
    access = bearer.authenticate(token)
    assert (access.subject, access.tenant_id, access.scopes) == ("u1", "t1", {"a.b.read.any"})


def test_unknown_key_id_is_401(key: Any, bearer: JWTBearer) -> None:
    token = jwt.encode(claims(), key, algorithm="RS256", headers={"kid": "other"})
    with pytest.raises(ApiError) as caught:
        bearer.authenticate(token)
    assert caught.value.status == 401


def hs256(secret: bytes, header: dict[str, Any], payload: dict[str, Any]) -> str:
    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = part(json.dumps(header).encode()) + b"." + part(json.dumps(payload).encode())
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + part(signature)).decode()


def test_hmac_token_made_with_the_public_key_is_refused(key: Any, bearer: JWTBearer) -> None:
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    forged = hs256(public_pem, {"alg": "HS256", "typ": "JWT", "kid": "k1"}, claims())
    with pytest.raises(ApiError) as caught:
        bearer.authenticate(forged)
    assert caught.value.status == 401


@pytest.mark.parametrize(
    "options",
    [
        {"key": "k", "algorithms": ["none"]},
        {"key": "k", "algorithms": []},
        {"algorithms": ["HS256"]},
    ],
)
def test_unsafe_configurations_are_refused_at_startup(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        JWTBearer(**options)
    assert caught.value.code == "djgateway.E020"
