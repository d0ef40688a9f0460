"""Invariants of request handling, over HTTP: a bad input is a 4xx problem document (never a
500), one selection has one representation, and what a caller may not see never blocks them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from fastapi.testclient import TestClient

from djgateway import FieldScopes, Gateway, JWTBearer, Resource, Scopes
from djgateway.binding.endpoints import list_context
from djgateway.query.cursor import encode_cursor, query_fingerprint
from djgateway.sandbox.business.models import Company, Employee
from djgateway.sandbox.catalog.models import Product
from djgateway.sandbox.demo import TENANT_A
from djgateway.sandbox.gateway import SANDBOX_TOKENS
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("demo")

C = "business.companies"
EMAIL_READ = "business.employees.email.read"
TENANT = "aaaaaaaa-0000-4000-8000-000000000001"


def page(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bad_cursor(client: TestClient, url: str, **params: Any) -> None:
    body = assert_problem(client.get(url, params=params), 400)
    assert body["errors"] == [
        {
            "loc": ["query", "cursor"],
            "message": "was made for another query; start again without a cursor",
            "code": "invalid",
        }
    ]


# -- date-time filters without time zones (USE_TZ = False) -------------------------------


def test_datetime_filters_work_without_time_zones(client: TestClient) -> None:
    everything = sorted(Product.objects.values_list("sku", flat=True))
    with override_settings(USE_TZ=False):
        for moment in ("2000-01-01T00:00:00Z", "2000-01-01T02:00:00+02:00", "2000-01-01T00:00"):
            listed = page(client, "/api/products", created__gte=moment, order_by="sku")
            assert [item["sku"] for item in listed["items"]] == everything
            assert page(client, "/api/products", created__lt=moment)["items"] == []
        # a date-time ordering pages through the rows with its cursors
        seen: list[str] = []
        params: dict[str, Any] = {"order_by": "-created", "limit": 2, "created__gte": "2000-01-01"}
        while True:
            listed = page(client, "/api/products", **params)
            seen += [item["sku"] for item in listed["items"]]
            if listed["next_cursor"] is None:
                break
            params["cursor"] = listed["next_cursor"]
        assert sorted(seen) == everything


def test_datetime_values_beyond_the_calendar_are_400(client: TestClient) -> None:
    for moment in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        body = assert_problem(client.get("/api/products", params={"created__gte": moment}), 400)
        assert body["errors"][0]["loc"] == ["query", "created__gte"]


# -- ?fields= ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other", "keys"),
    [
        ("name,id", "id,name", ["id", "name"]),  # plain values
        ("price,sku,id", "id,price,sku", ["id", "sku", "price"]),  # through the read schema
        ("tags,name", "name,tags", ["name", "tags"]),  # with a many-to-many field
    ],
)
def test_fields_come_in_schema_order_whatever_the_request_order(
    client: TestClient, one: str, other: str, keys: list[str]
) -> None:
    first = client.get("/api/products", params={"fields": one, "order_by": "sku"})
    second = client.get("/api/products", params={"fields": other, "order_by": "sku"})
    assert first.status_code == second.status_code == 200
    assert [list(item) for item in first.json()["items"]] == [keys] * Product.objects.count()
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]


# -- keyset cursors ------------------------------------------------------------------------


def test_cursor_still_pages_through_a_filtered_search(client: TestClient) -> None:
    """The same query (filters and search alike) takes its own cursors; limit, fields and
    count may change from page to page."""
    query = {"search": "a", "price__gte": "0", "!sku": "NONE", "order_by": "-price,name"}
    expected = [p["sku"] for p in page(client, "/api/products", **query, limit=100)["items"]]
    assert len(expected) >= 3
    seen: list[str] = []
    listed = page(client, "/api/products", **query, limit=1)
    seen += [item["sku"] for item in listed["items"]]
    listed = page(
        client,
        "/api/products",
        **query,
        limit=1,
        fields="sku",
        count="exact",
        cursor=listed["next_cursor"],
    )
    seen += [item["sku"] for item in listed["items"]]
    listed = page(client, "/api/products", **query, limit=100, cursor=listed["next_cursor"])
    seen += [item["sku"] for item in listed["items"]]
    assert seen == expected


def test_cursor_of_another_resource_is_400(client: TestClient) -> None:
    products = page(client, "/api/products", limit=1)["next_cursor"]
    tags = page(client, "/api/tags", limit=1)["next_cursor"]  # UUID keys
    warehouses = page(client, "/api/warehouses", limit=1)["next_cursor"]  # text keys
    for url, cursor in [
        ("/api/tags", products),
        ("/api/warehouses", products),
        ("/api/products", tags),
        ("/api/products", warehouses),
        ("/api/categories", tags),
    ]:
        bad_cursor(client, url, cursor=cursor)


def test_cursor_of_another_resource_with_the_same_key_types_is_400(client: TestClient) -> None:
    products = page(client, "/api/products", limit=1, order_by="name")["next_cursor"]
    bad_cursor(client, "/api/categories", cursor=products, order_by="name")
    acme, globex = Company.objects.get(name="Acme Corp"), Company.objects.get(name="Globex")
    departments = page(client, f"/api/companies/{acme.pk}/departments", limit=1)["next_cursor"]
    bad_cursor(client, f"/api/companies/{globex.pk}/departments", cursor=departments)


def test_cursor_with_other_filters_or_search_is_400(client: TestClient) -> None:
    query = {"order_by": "name", "price__gte": "1", "limit": 1}
    cursor = page(client, "/api/products", **query)["next_cursor"]
    for changed in (
        {"price__gte": "2"},  # another value
        {"price__gte": None, "price__lte": "1"},  # another filter
        {"!price__gte": "1", "price__gte": None},  # negated
        {"search": "drill"},  # a search
    ):
        params = {k: v for k, v in {**query, **changed}.items() if v is not None}
        bad_cursor(client, "/api/products", **params, cursor=cursor)
    searched = page(client, "/api/products", order_by="name", search="a", limit=1)
    bad_cursor(client, "/api/products", order_by="name", cursor=searched["next_cursor"])


@pytest.mark.parametrize(
    ("ordering", "values"),
    [
        (["pk"], ["not a number"]),
        (["pk"], [True]),
        (["pk"], [1.5]),
        (["pk"], [2**70]),
        (["pk"], [None]),
        (["pk"], [{"id": 1}]),
        (["price", "pk"], ["a lot", 1]),
        (["price", "pk"], [[1], 1]),
        (["created", "pk"], ["yesterday", 1]),
        (["created", "pk"], [12, 1]),
        (["release_date", "pk"], ["2026-02-30", 1]),
        (["in_stock", "pk"], ["yes", 1]),
        (["public_id", "pk"], ["not-a-uuid", 1]),
        (["last_seen_ip", "pk"], ["300.1.1.1", 1]),
        (["warranty", "pk"], ["forever", 1]),
        (["available_from", "pk"], ["25:00", 1]),
        (["sku", "pk"], [None, 1]),  # not nullable
        (["sku", "pk"], [7, 1]),
    ],
)
def test_cursor_values_that_do_not_fit_the_ordering_are_400(
    client: TestClient, ordering: list[str], values: list[Any]
) -> None:
    """A signed cursor whose values cannot be those of the ordering's fields (one made by
    another resource, or by an older version) is refused before the database sees it."""
    order_by = ",".join(ordering[:-1]) or None
    params = {"cursor": encode_cursor(ordering, values), "order_by": order_by}
    bad_cursor(client, "/api/products", **{k: v for k, v in params.items() if v is not None})


def test_cursor_with_null_of_a_nullable_field_pages_on(client: TestClient) -> None:
    fingerprint = query_fingerprint(list_context("products", []), {})
    cursor = encode_cursor(["-weight", "pk"], [None, 0], fingerprint)
    listed = page(client, "/api/products", order_by="-weight", cursor=cursor)
    assert listed["items"]  # NULLs come first descending: every weighed product follows


# -- token claims --------------------------------------------------------------------------


def bearer(claims: dict[str, Any], tokens: JWTBearer = SANDBOX_TOKENS) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.mint(claims)}"}


def assert_unauthorized(response: Any) -> None:
    body = assert_problem(response, 401)
    assert body["errors"] == []
    assert (
        body["detail"].startswith("The bearer token is not valid: ") or "tenant" in body["detail"]
    )
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize(
    "scope", [5, 1.5, True, {f"{C}.read.any": True}, [f"{C}.read.any", 3], [[f"{C}.read.any"]]]
)
def test_malformed_scope_claim_is_401(secure_client: TestClient, scope: Any) -> None:
    headers = bearer({"sub": "admin", "scope": scope, "ten": str(TENANT_A)})
    assert_unauthorized(secure_client.get("/api/companies", headers=headers))


@pytest.mark.parametrize("tenant", [{"id": str(TENANT_A)}, [str(TENANT_A)], 1.5, True, "nope", 5])
def test_malformed_tenant_claim_is_401(secure_client: TestClient, tenant: Any) -> None:
    headers = bearer({"sub": "admin", "scope": f"{C}.read.any", "ten": tenant})
    assert_unauthorized(secure_client.get("/api/companies", headers=headers))


def test_well_formed_scope_claims_still_work(secure_client: TestClient) -> None:
    for scope in (f"{C}.read.any", [f"{C}.read.any"]):
        headers = bearer({"sub": "admin", "scope": scope, "ten": str(TENANT_A)})
        assert secure_client.get("/api/companies", headers=headers).status_code == 200
    no_scopes = bearer({"sub": "admin", "scope": None, "ten": str(TENANT_A)})
    assert_problem(secure_client.get("/api/companies", headers=no_scopes), 403)


CUSTOM_CLAIMS = JWTBearer(
    key="another-test-signing-key-that-is-long-enough-for-hs256",
    subject_claim="uid",
    scopes_claim="perms",
    tenant_claim="org",
)


@pytest.fixture
def custom_claims_client(transactional_db: Any) -> Iterator[TestClient]:
    gateway = Gateway(apps=["catalog"], security=CUSTOM_CLAIMS)
    with TestClient(gateway.app(prefix="/api")) as client:
        yield client


@pytest.mark.parametrize(
    "claims",
    [
        {"uid": {"id": 1}},
        {"uid": ["alice"]},
        {"uid": True},
        {"uid": 1.5},
        {"uid": "alice", "perms": {"catalog": "all"}},
        {"uid": "alice", "org": {"id": 1}},
    ],
)
def test_malformed_custom_claims_are_401(
    custom_claims_client: TestClient, claims: dict[str, Any]
) -> None:
    headers = bearer(claims, CUSTOM_CLAIMS)
    assert_unauthorized(custom_claims_client.get("/api/products", headers=headers))


def test_string_or_integer_subjects_are_taken(custom_claims_client: TestClient) -> None:
    for subject in ("alice", 7):
        headers = bearer({"uid": subject, "perms": ["x"], "org": 3}, CUSTOM_CLAIMS)
        assert custom_claims_client.get("/api/products", headers=headers).status_code == 200


# -- a default ordering on a field the caller may not read ---------------------------------


@pytest.fixture
def email_ordered_client(transactional_db: Any) -> Iterator[TestClient]:
    gateway = Gateway(
        apps=["business"],
        resources={
            "business.Company": Resource(security=SANDBOX_TOKENS, scopes=Scopes.auto("business")),
            "business.Employee": Resource(
                ordering=["-email"], field_scopes={"email": FieldScopes(read=[EMAIL_READ])}
            ),
            "business.AuditEntry": Resource(expose=False),
        },
    )
    with TestClient(gateway.app(prefix="/api")) as client:
        yield client


def test_default_ordering_skips_fields_the_caller_cannot_read(
    email_ordered_client: TestClient,
) -> None:
    acme = Company.objects.get(name="Acme Corp")
    url = f"/api/companies/{acme.pk}/employees"
    claims = {"sub": "admin", "ten": str(TENANT_A)}
    without = bearer({**claims, "scope": f"{C}.read.any"})
    listed = page_with(email_ordered_client, url, without)
    staff = Employee.objects.filter(company=acme)
    assert [e["id"] for e in listed] == sorted(staff.values_list("pk", flat=True))
    assert all("email" not in e for e in listed)
    assert_problem(
        email_ordered_client.get(url, params={"order_by": "email"}, headers=without), 400
    )
    with_email = bearer({**claims, "scope": f"{C}.read.any {EMAIL_READ}"})
    listed = page_with(email_ordered_client, url, with_email)
    assert [e["email"] for e in listed] == sorted(staff.values_list("email", flat=True))[::-1]


def page_with(client: TestClient, url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


# -- body errors of a POST that takes an object or an array (bulk create) -----------------


@pytest.fixture
def bulk_client(transactional_db: Any) -> Iterator[TestClient]:
    gateway = Gateway(
        apps=["business"],
        resources={
            "business.Company": Resource(writable_children=["departments"], bulk_max=3),
            "business.CompanyDepartment": Resource(writable_children=["teams"]),
            "business.AuditEntry": Resource(expose=False),
        },
    )
    with TestClient(gateway.app()) as client:
        yield client


def invalid_body(client: TestClient, body: Any) -> list[dict[str, Any]]:
    before = Company.objects.count()
    problem = assert_problem(client.post("/companies", json=body), 422)
    assert Company.objects.count() == before
    errors: list[dict[str, Any]] = problem["errors"]
    return errors


def test_errors_in_an_array_body_carry_the_item_index(bulk_client: TestClient) -> None:
    body = [{"tenant_id": TENANT, "name": "Fine"}, {"tenant_id": TENANT}]
    assert invalid_body(bulk_client, body) == [
        {"loc": ["body", 1, "name"], "message": "Field required", "code": "missing"}
    ]
    nested = [{"tenant_id": TENANT, "name": "N", "departments": [{"name": "D", "teams": [{}]}]}]
    assert [e["loc"] for e in invalid_body(bulk_client, nested)] == [
        ["body", 0, "departments", 0, "teams", 0, "name"]
    ]
    too_many = [{"tenant_id": TENANT, "name": f"C{n}"} for n in range(4)]
    assert [(e["loc"], e["code"]) for e in invalid_body(bulk_client, too_many)] == [
        (["body"], "too_long")
    ]
    assert [(e["loc"], e["code"]) for e in invalid_body(bulk_client, [])] == [
        (["body"], "too_short")
    ]


def test_errors_in_an_object_body_carry_their_path(bulk_client: TestClient) -> None:
    teams = [{"name": "A"}, {"headcount": 3}]
    body = {"tenant_id": TENANT, "name": "X", "departments": [{"name": "D", "teams": teams}]}
    assert invalid_body(bulk_client, body) == [
        {
            "loc": ["body", "departments", 0, "teams", 1, "name"],
            "message": "Field required",
            "code": "missing",
        }
    ]
    for scalar in (5, "companies"):
        assert [e["loc"] for e in invalid_body(bulk_client, scalar)] == [["body"]]
