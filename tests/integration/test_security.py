"""Security through HTTP with real signed tokens: 401/403, scopes, tenants, row filters,
field scopes and mass assignment, on the sandbox's secured business app."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from django.db.models import Q
from fastapi.testclient import TestClient

from djgateway import Access, FieldScopes, Gateway, JWTBearer, Resource, Scopes
from djgateway.sandbox.business.models import (
    Company,
    CompanyDepartment,
    CompanyDepartmentTeam,
    Employee,
)
from djgateway.sandbox.catalog.models import Category, Product
from djgateway.sandbox.demo import TENANT_A, TENANT_B
from djgateway.sandbox.gateway import SANDBOX_TOKENS
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("demo")

C = "business.companies"
ADMIN = [f"{C}.read.any", f"{C}.create", f"{C}.update.any", f"{C}.delete.any"]


def token(scopes: list[str], tenant: Any = TENANT_A, sub: str = "admin", **claims: Any) -> str:
    payload: dict[str, Any] = {"sub": sub, "scope": " ".join(scopes), **claims}
    if tenant is not None:
        payload["ten"] = str(tenant)
    return SANDBOX_TOKENS.mint(payload)


def auth(scopes: list[str], **kwargs: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(scopes, **kwargs)}"}


def company(name: str) -> Company:
    return Company.objects.get(name=name)


# -- authentication --------------------------------------------------------------------


def forged(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)]
    )


def bad_tokens() -> dict[str, str]:
    now = int(time.time())
    claims = {
        "sub": "admin",
        "scope": " ".join(ADMIN),
        "ten": str(TENANT_A),
        "iss": "djgateway-sandbox",
        "aud": "djgateway-sandbox",
        "exp": now + 600,
    }
    key = str(SANDBOX_TOKENS.key)
    return {
        "expired": jwt.encode({**claims, "exp": now - 60}, key, algorithm="HS256"),
        "not yet valid": jwt.encode({**claims, "nbf": now + 600}, key, algorithm="HS256"),
        "wrong issuer": jwt.encode({**claims, "iss": "someone-else"}, key, algorithm="HS256"),
        "wrong audience": jwt.encode({**claims, "aud": "another-api"}, key, algorithm="HS256"),
        "no expiry": jwt.encode({k: v for k, v in claims.items() if k != "exp"}, key, "HS256"),
        "wrong key": jwt.encode(claims, "not-the-sandbox-key-but-long-enough!", algorithm="HS256"),
        "alg none": forged({"alg": "none", "typ": "JWT"}, claims),
        "HS512 not allowed": jwt.encode(claims, key, algorithm="HS512"),
        "garbage": "not-a-jwt",
    }


def test_missing_credentials_are_401_with_challenge(secure_client: TestClient) -> None:
    response = secure_client.get("/api/companies")
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "bearer token is required" in body["detail"]


@pytest.mark.parametrize("kind", list(bad_tokens()))
def test_invalid_tokens_are_401(secure_client: TestClient, kind: str) -> None:
    headers = {"Authorization": f"Bearer {bad_tokens()[kind]}"}
    response = secure_client.get("/api/companies", headers=headers)
    assert_problem(response, 401)
    assert "invalid_token" in response.headers["www-authenticate"]


def test_valid_token_is_accepted(secure_client: TestClient) -> None:
    response = secure_client.get("/api/companies", headers=auth(ADMIN))
    assert response.status_code == 200
    assert {c["name"] for c in response.json()["items"]} == {"Acme Corp", "Acme Labs"}


def test_open_app_needs_no_token(secure_client: TestClient) -> None:
    assert secure_client.get("/api/products").status_code == 200


# -- scopes ----------------------------------------------------------------------------


def test_missing_scope_is_403_naming_the_required_scopes(secure_client: TestClient) -> None:
    response = secure_client.post(
        "/api/companies", json={"name": "Nope"}, headers=auth([f"{C}.read.any"])
    )
    body = assert_problem(response, 403)
    assert f"{C}.create" in body["detail"]
    assert not Company.objects.filter(name="Nope").exists()


@pytest.mark.parametrize(
    ("method", "suffix", "payload", "needed"),
    [
        ("GET", "", None, f"{C}.read.any"),
        ("PATCH", "", {"name": "X"}, f"{C}.update.any"),
        ("PUT", "", {"name": "X"}, f"{C}.update.any"),
        ("DELETE", "", None, f"{C}.delete.any"),
    ],
)
def test_each_method_checks_its_own_scope(
    secure_client: TestClient, method: str, suffix: str, payload: Any, needed: str
) -> None:
    acme = company("Acme Corp")
    url = f"/api/companies/{acme.pk}{suffix}"
    others = [s for s in ADMIN if s != needed]
    body = assert_problem(
        secure_client.request(method, url, json=payload, headers=auth(others)), 403
    )
    assert needed in body["detail"]
    assert secure_client.request(method, url, json=payload, headers=auth([needed])).status_code in (
        200,
        204,
    )


def test_children_inherit_read_and_update_scopes_from_their_parent(
    secure_client: TestClient,
) -> None:
    acme = company("Acme Corp")
    engineering = CompanyDepartment.objects.get(company=acme, name="Engineering")
    teams = f"/api/companies/{acme.pk}/departments/{engineering.pk}/teams"
    reader = auth([f"{C}.read.any"])
    assert secure_client.get(teams, headers=reader).status_code == 200
    body = assert_problem(secure_client.post(teams, json={"name": "T"}, headers=reader), 403)
    assert f"{C}.update.any" in body["detail"]
    writer = auth([f"{C}.update.any"])
    assert secure_client.post(teams, json={"name": "T"}, headers=writer).status_code == 201
    # update scopes do not grant reads
    assert_problem(secure_client.get(teams, headers=writer), 403)


def test_own_selector_sees_only_companies_the_caller_administers(
    secure_client: TestClient,
) -> None:
    owner = auth([f"{C}.read.own", f"{C}.update.own"], sub="user-1-owner")
    listed = secure_client.get("/api/companies", headers=owner).json()["items"]
    assert [c["name"] for c in listed] == ["Acme Corp"]
    labs = company("Acme Labs")
    assert_problem(secure_client.get(f"/api/companies/{labs.pk}", headers=owner), 404)
    assert_problem(secure_client.get(f"/api/companies/{labs.pk}/departments", headers=owner), 404)
    assert_problem(
        secure_client.patch(f"/api/companies/{labs.pk}", json={"name": "Mine"}, headers=owner),
        404,
    )
    assert company("Acme Labs").name == "Acme Labs"
    members = auth([f"{C}.read.own"], sub="user-1-member")
    assert secure_client.get("/api/companies", headers=members).json()["items"] == []


# -- tenants ---------------------------------------------------------------------------


def test_cross_tenant_reads_writes_and_deletes_are_404(secure_client: TestClient) -> None:
    globex = company("Globex")
    headers = auth(ADMIN)  # tenant A
    url = f"/api/companies/{globex.pk}"
    assert_problem(secure_client.get(url, headers=headers), 404)
    assert_problem(secure_client.patch(url, json={"name": "Taken"}, headers=headers), 404)
    assert_problem(secure_client.put(url, json={"name": "Taken"}, headers=headers), 404)
    assert_problem(secure_client.delete(url, headers=headers), 404)
    globex.refresh_from_db()
    assert globex.name == "Globex"


def test_cross_tenant_nested_lists_and_creates_are_404(secure_client: TestClient) -> None:
    globex = company("Globex")
    backend = CompanyDepartment.objects.get(company=globex, name="Engineering")
    headers = auth(ADMIN)
    assert_problem(
        secure_client.get(f"/api/companies/{globex.pk}/departments", headers=headers), 404
    )
    teams = f"/api/companies/{globex.pk}/departments/{backend.pk}/teams"
    assert_problem(secure_client.get(teams, headers=headers), 404)
    assert_problem(secure_client.post(teams, json={"name": "Intruders"}, headers=headers), 404)
    team = CompanyDepartmentTeam.objects.get(name="Backend")
    assert_problem(secure_client.delete(f"{teams}/{team.pk}", headers=headers), 404)
    assert CompanyDepartmentTeam.objects.filter(name="Backend").exists()
    assert not CompanyDepartmentTeam.objects.filter(name="Intruders").exists()


def test_tenant_is_set_from_the_token_and_cannot_be_written(secure_client: TestClient) -> None:
    headers = auth(ADMIN, tenant=TENANT_B)
    created = secure_client.post("/api/companies", json={"name": "Initech"}, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["tenant_id"] == str(TENANT_B)
    assert str(Company.objects.get(name="Initech").tenant_id) == str(TENANT_B)
    body = assert_problem(
        secure_client.post(
            "/api/companies",
            json={"name": "Sneaky", "tenant_id": str(TENANT_A)},
            headers=headers,
        ),
        422,
    )
    assert body["errors"][0]["loc"] == ["body", "tenant_id"]
    assert not Company.objects.filter(name="Sneaky").exists()


def test_token_without_tenant_is_refused(secure_client: TestClient) -> None:
    body = assert_problem(
        secure_client.get("/api/companies", headers=auth(ADMIN, tenant=None)), 403
    )
    assert "tenant" in body["detail"]


def test_counts_and_aggregates_stay_inside_the_tenant(secure_client: TestClient) -> None:
    headers = auth(ADMIN)
    page = secure_client.get("/api/companies?count=exact", headers=headers).json()
    assert page["count"] == 2
    total = secure_client.get("/api/companies:aggregate/count/id", headers=headers).json()
    assert total["value"] == 2


# -- foreign keys in bodies ------------------------------------------------------------


CATEGORY_TOKENS = JWTBearer(key="category-test-key-long-enough-for-hs256", algorithms=["HS256"])


def visible_categories(access: Access) -> Q:
    return Q(name__in=access.claims.get("categories", []))


@pytest.fixture
def category_client(transactional_db: Any) -> Any:
    gateway = Gateway(
        apps=["catalog"],
        security=CATEGORY_TOKENS,
        resources={"catalog.Category": Resource(objects_filter=visible_categories)},
    )
    with TestClient(gateway.app(prefix="/api")) as client:
        yield client


def test_foreign_keys_may_only_point_to_visible_rows(category_client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {CATEGORY_TOKENS.mint({'categories': ['Books']})}"}
    hardware = Category.objects.get(name="Hardware")
    books = Category.objects.get(name="Books")
    payload = {"sku": "FK-X", "name": "n", "price": "1.00", "category_id": hardware.pk}
    body = assert_problem(category_client.post("/api/products", json=payload, headers=headers), 422)
    assert body["errors"] == [
        {"loc": ["body", "category_id"], "message": "No such object.", "code": "does_not_exist"}
    ]
    assert not Product.objects.filter(sku="FK-X").exists()
    payload["category_id"] = books.pk
    assert category_client.post("/api/products", json=payload, headers=headers).status_code == 201


# -- field scopes ----------------------------------------------------------------------


EMAIL_READ = "business.employees.email.read"


def test_field_without_read_scope_is_absent_everywhere(secure_client: TestClient) -> None:
    acme = company("Acme Corp")
    url = f"/api/companies/{acme.pk}/employees"
    headers = auth(ADMIN)
    listed = secure_client.get(url, headers=headers).json()["items"]
    assert listed and all("email" not in e for e in listed)
    one = secure_client.get(f"{url}/{listed[0]['id']}", headers=headers).json()
    assert "email" not in one and one["user_id"]
    created = secure_client.post(url, json={"user_id": "u-new"}, headers=headers).json()
    assert "email" not in created
    for params in ({"fields": "id,email"}, {"email": "x"}, {"order_by": "email"}):
        assert secure_client.get(url, params=params, headers=headers).status_code == 400
    with_scope = auth([*ADMIN, EMAIL_READ])
    listed = secure_client.get(url, headers=with_scope).json()["items"]
    assert all("email" in e for e in listed)
    filtered = secure_client.get(url, params={"email__icontains": "@"}, headers=with_scope)
    assert filtered.status_code == 200


@pytest.fixture
def write_scoped_client(transactional_db: Any) -> Any:
    gateway = Gateway(
        apps=["business"],
        security=SANDBOX_TOKENS,
        scopes=Scopes.auto("business"),
        resources={
            "business.Employee": Resource(
                field_scopes={"type": FieldScopes(write=["business.employees.type.write"])}
            ),
            "business.AuditEntry": Resource(expose=False),
        },
    )
    with TestClient(gateway.app(prefix="/api")) as client:
        yield client


def test_field_without_write_scope_cannot_be_set(write_scoped_client: TestClient) -> None:
    acme = company("Acme Corp")
    member = Employee.objects.get(company=acme, type="member")
    url = f"/api/companies/{acme.pk}/employees/{member.pk}"
    employees = "business.employees"
    headers = auth([f"{employees}.read.any", f"{employees}.update.any"])
    body = assert_problem(
        write_scoped_client.patch(url, json={"type": "owner"}, headers=headers), 403
    )
    assert body["errors"][0]["loc"] == ["body", "type"]
    # a PUT that leaves the field out keeps it
    response = write_scoped_client.put(url, json={"user_id": "renamed"}, headers=headers)
    assert response.status_code == 200, response.text
    member.refresh_from_db()
    assert (member.user_id, member.type) == ("renamed", "member")
    allowed = auth([f"{employees}.update.any", "business.employees.type.write"])
    response = write_scoped_client.patch(url, json={"type": "admin"}, headers=allowed)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.type == "admin"


# -- mass assignment -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["id", "tenant_id", "created_at", "updated_at"])
def test_protected_fields_are_rejected_by_name(secure_client: TestClient, field: str) -> None:
    acme = company("Acme Corp")
    value: Any = 7 if field == "id" else str(TENANT_B) if field == "tenant_id" else "2020-01-01"
    response = secure_client.patch(
        f"/api/companies/{acme.pk}", json={"name": "X", field: value}, headers=auth(ADMIN)
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", field]
    acme.refresh_from_db()
    assert acme.name == "Acme Corp"
