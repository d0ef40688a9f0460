"""What fuzzing the sandbox found, fixed, over HTTP on the test database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from djgateway.sandbox.catalog.models import Product

pytestmark = pytest.mark.usefixtures("demo")


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def product_url() -> str:
    return f"/api/products/{Product.objects.get(sku='HAM-001').pk}"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("OPTIONS", "/api/companies/1", "DELETE, GET, PATCH, PUT"),
        ("DELETE", "/api/companies", "GET, POST"),
        ("POST", "/api/warehouses/BER-1", "DELETE, GET, PATCH, PUT"),
    ],
)
def test_405_allows_every_method_of_the_path(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)

    assert problem(response, 405)["title"] == "Method Not Allowed"
    assert response.headers["allow"] == allowed


def test_an_id_without_a_row_says_does_not_exist(client: TestClient) -> None:
    response = client.post(
        "/api/products", json={"sku": "FK-1", "name": "n", "price": "1.00", "category_id": 424242}
    )

    [error] = problem(response, 422)["errors"]
    assert (error["loc"], error["code"]) == (["body", "category_id"], "does_not_exist")


def test_a_time_with_a_zone_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.patch(product_url(), json={"available_from": "04:14:17.3Z"})

    [error] = problem(response, 422)["errors"]
    assert error["loc"] == ["body", "available_from"]


def test_a_duration_is_written_in_days_not_in_years_of_365_days(client: TestClient) -> None:
    body = client.patch(product_url(), json={"warranty": "P1Y2M3DT4H"}).json()

    assert body["warranty"] == "P428DT4H"
    assert client.get(product_url()).json()["available_from"] == "08:00:00"


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ({"name": ""}, "name"),  # blank=False: documented as minLength 1
        ({"price": ""}, "price"),  # a decimal as text must be digits
        ({"homepage": "a:b"}, "homepage"),  # a "uri", not a URL Django accepts
        ({"last_seen_ip": "abc"}, "last_seen_ip"),  # neither ipv4 nor ipv6
    ],
)
def test_schema_valid_means_storable(
    client: TestClient, payload: dict[str, Any], location: str
) -> None:
    [error] = problem(client.patch(product_url(), json=payload), 422)["errors"]

    assert error["loc"] == ["body", location]
