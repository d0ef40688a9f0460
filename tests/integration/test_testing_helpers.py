"""djgateway.testing: tokens the gateway accepts, and clients that send them, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from djgateway import Gateway, JWTBearer, Resource, Scopes
from djgateway.sandbox.business.models import Company
from djgateway.sandbox.demo import TENANT_A, TENANT_B
from djgateway.sandbox.gateway import SANDBOX_TOKENS, build_gateway
from djgateway.testing import GatewayClient, bearer_headers, gateway_authenticator, mint_token
from tests.problems import assert_problem

C = "business.companies"


@pytest.fixture
def client(demo: None) -> Iterator[GatewayClient]:
    with GatewayClient(build_gateway(), prefix="/api") as gateway_client:
        yield gateway_client


# -- mint_token -------------------------------------------------------------------------------


def test_a_minted_token_carries_the_sandbox_claims() -> None:
    before = int(time.time())
    token = mint_token(
        SANDBOX_TOKENS,
        subject="u1",
        scopes=[f"{C}.read.any", f"{C}.create"],
        tenant=TENANT_A,
        expires_in=120,
    )
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == "u1"
    assert claims["scope"] == f"{C}.read.any {C}.create"  # the sandbox's scopes_claim
    assert claims["ten"] == str(TENANT_A)  # its tenant_claim; a UUID is sent as text
    assert (claims["iss"], claims["aud"]) == ("djgateway-sandbox", "djgateway-sandbox")
    assert before + 120 <= claims["exp"] <= int(time.time()) + 120
    access = SANDBOX_TOKENS.authenticate(token)
    assert access.authenticated
    assert access.subject == "u1"
    assert access.tenant_id == str(TENANT_A)
    assert access.scopes == {f"{C}.read.any", f"{C}.create"}


def test_claim_names_audience_and_required_claims_follow_the_authenticator() -> None:
    tokens = JWTBearer(
        key="a-long-shared-secret-of-at-least-48-bytes-for-hs384-0123",
        algorithms=["HS384"],
        issuer="auth.example",
        audience=["api.example", "other.example"],
        scopes_claim="scp",
        tenant_claim="org",
        subject_claim="uid",
        required_claims=["exp", "nbf", "jti"],
    )
    token = mint_token(tokens, subject=7, scopes="a.b.read b.c.read", tenant=42)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["scp"] == ["a.b.read", "b.c.read"]  # a list outside the "scope" claim
    assert (claims["uid"], claims["org"], claims["aud"]) == (7, 42, "api.example")
    assert jwt.get_unverified_header(token)["alg"] == "HS384"
    access = tokens.authenticate(token)
    assert (access.subject, access.tenant_id) == ("7", 42)
    assert access.scopes == {"a.b.read", "b.c.read"}


def test_no_scopes_and_no_tenant_leave_the_claims_out() -> None:
    claims = jwt.decode(
        mint_token(SANDBOX_TOKENS, subject="u1"), options={"verify_signature": False}
    )
    assert "scope" not in claims and "ten" not in claims
    assert SANDBOX_TOKENS.authenticate(mint_token(SANDBOX_TOKENS, subject="u1")).scopes == set()


def test_extra_claims_win() -> None:
    token = mint_token(SANDBOX_TOKENS, subject="u1", claims={"iss": "someone-else", "x": 1})
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iss"], claims["x"]) == ("someone-else", 1)


# -- GatewayClient over HTTP ------------------------------------------------------------------


def test_a_caller_token_is_accepted_and_its_tenant_applies(client: GatewayClient) -> None:
    assert_problem(client.get("/api/companies"), 401)
    reader = client.as_caller(subject="u1", tenant=TENANT_A, scopes=[f"{C}.read.any"])
    listed = reader.get("/api/companies")
    assert listed.status_code == 200, listed.text
    assert {c["name"] for c in listed.json()["items"]} == {"Acme Corp", "Acme Labs"}
    other_tenant = client.as_caller(tenant=TENANT_B, scopes=[f"{C}.read.any"])
    assert [c["name"] for c in other_tenant.get("/api/companies").json()["items"]] == ["Globex"]


def test_the_tenant_and_the_scopes_reach_the_access(client: GatewayClient) -> None:
    creator = client.as_caller(subject="u1", tenant=TENANT_A, scopes=[f"{C}.create"])
    created = creator.post("/api/companies", json={"name": "Helper Inc"})
    assert created.status_code == 201, created.text
    assert created.json()["tenant_id"] == str(TENANT_A)  # set from the token's tenant
    assert Company.objects.get(name="Helper Inc").tenant_id == TENANT_A


def test_a_missing_scope_is_403(client: GatewayClient) -> None:
    reader = client.as_caller(tenant=TENANT_A, scopes=[f"{C}.read.any"])
    body = assert_problem(reader.post("/api/companies", json={"name": "Nope"}), 403)
    assert f"{C}.create" in body["detail"]
    assert not Company.objects.filter(name="Nope").exists()


def test_the_subject_selects_own_rows(client: GatewayClient) -> None:
    owner = client.as_caller(subject="user-1-owner", tenant=TENANT_A, scopes=[f"{C}.read.own"])
    assert [c["name"] for c in owner.get("/api/companies").json()["items"]] == ["Acme Corp"]
    member = client.as_caller(subject="user-1-member", tenant=TENANT_A, scopes=[f"{C}.read.own"])
    assert member.get("/api/companies").json()["items"] == []


def test_an_expired_caller_is_401(client: GatewayClient) -> None:
    late = client.as_caller(tenant=TENANT_A, scopes=[f"{C}.read.any"], expires_in=-10)
    body = assert_problem(late.get("/api/companies"), 401)
    assert "expired" in body["detail"]


def test_as_caller_leaves_the_client_anonymous(client: GatewayClient) -> None:
    client.as_caller(tenant=TENANT_A, scopes=[f"{C}.read.any"])
    assert "authorization" not in client.headers
    assert_problem(client.get("/api/companies"), 401)


def test_a_fastapi_app_needs_its_authenticator(demo: None) -> None:
    app = build_gateway().app(prefix="/v2")
    with pytest.raises(ValueError, match="authenticator="):
        GatewayClient(app).as_caller(tenant=TENANT_A)
    with GatewayClient(app, authenticator=SANDBOX_TOKENS) as client:
        reader = client.as_caller(tenant=TENANT_A, scopes=[f"{C}.read.any"])
        assert reader.get("/v2/companies").status_code == 200


def test_bearer_headers_work_with_a_plain_test_client(demo: None) -> None:
    with TestClient(build_gateway().app()) as plain:
        headers = bearer_headers(SANDBOX_TOKENS, subject="u1", tenant=TENANT_A, scopes=[])
        body = assert_problem(plain.get("/companies", headers=headers), 403)
        assert f"{C}.read.any" in body["detail"]


# -- which authenticator ----------------------------------------------------------------------


def test_the_gateway_default_authenticator_is_found() -> None:
    gateway = Gateway(apps=["catalog"], security=SANDBOX_TOKENS, scopes=Scopes.auto("catalog"))
    assert gateway_authenticator(gateway) is SANDBOX_TOKENS
    assert gateway_authenticator(build_gateway()) is SANDBOX_TOKENS  # from business.Company


@pytest.mark.parametrize(
    "gateway",
    [
        Gateway(apps=["catalog"]),
        Gateway(
            apps=["catalog"],
            security=SANDBOX_TOKENS,
            resources={
                "catalog.Tag": Resource(
                    security=JWTBearer(key="another-key-of-32-bytes-or-more...")
                )
            },
        ),
    ],
    ids=["none", "two"],
)
def test_no_or_several_authenticators_must_be_named(gateway: Gateway) -> None:
    with pytest.raises(ValueError, match=r"pass GatewayClient\(\.\.\., authenticator=\.\.\.\)"):
        gateway_authenticator(gateway)


def test_only_gateways_and_apps_are_served() -> None:
    target: Any = "djgateway.sandbox.gateway:build_gateway"
    with pytest.raises(TypeError, match="a Gateway or a FastAPI app"):
        GatewayClient(target)
