"""What keeps the sandbox's document clean under Redocly and Spectral (``.ci/lint-openapi``)
and readable in Swagger UI: declared security, described tags and operations, servers,
exact bounds, examples instead of pattern noise; and the validation behind them."""

from __future__ import annotations

import decimal
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.routing import Mount

from djgateway.schemas.formats import NO_NUL
from tests.problems import assert_problem

OPERATION_KEYS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def app() -> FastAPI:
    from djgateway.sandbox.gateway import create_app

    return create_app()  # as `djgateway serve` and `djgateway openapi` build it


@pytest.fixture(scope="module")
def document(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in OPERATION_KEYS
    ]


def schemas_in(node: Any) -> list[dict[str, Any]]:
    """Every dict below ``node`` (schemas and the keywords holding them)."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            found.append(current)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def test_every_operation_declares_its_security(document: dict[str, Any]) -> None:
    schemes = set(document["components"]["securitySchemes"])
    for path, method, operation in operations(document):
        assert "security" in operation, (path, method)
        for requirement in operation["security"]:
            assert set(requirement) <= schemes, (path, method)
    assert document["paths"]["/api/products"]["get"]["security"] == []
    assert document["paths"]["/api/companies"]["get"]["security"] == [
        {"JWT": ["business.companies.read.any", "business.companies.read.own"]}
    ]


def test_every_operation_has_a_described_tag_and_a_description(document: dict[str, Any]) -> None:
    tags = {tag["name"]: tag for tag in document["tags"]}
    assert len(tags) == len(document["tags"])
    assert all(tag.get("description") for tag in tags.values())
    for path, method, operation in operations(document):
        assert operation["description"].strip(), (path, method)
        assert set(operation["tags"]) <= set(tags), (path, method)
    assert tags["Costcenters"]["description"] == (
        "Deleting a cost center through the API archives it (soft delete)."  # the docstring
    )
    assert tags["Teams"]["description"] == "Teams of a company department."
    teams = document["paths"]["/api/companies/{company_id}/departments/{department_id}/teams"]
    assert teams["post"]["summary"] == "Create a company department team"
    assert "Nested under `company_id`, `department_id`" in teams["post"]["description"]
    assert "inherited from companies" in teams["post"]["description"]
    employees = document["paths"]["/api/companies/{company_id}/employees"]
    assert employees["post"]["summary"] == "Create an employee"


def test_info_and_servers(document: dict[str, Any]) -> None:
    assert document["info"]["license"] == {"name": "MIT", "identifier": "MIT"}
    assert document["info"]["contact"]
    assert document["servers"] == [{"url": "/"}]


def test_a_mounted_app_serves_its_mount_path_first(app: FastAPI) -> None:
    with TestClient(Starlette(routes=[Mount("/v1", app=app)])) as client:
        served = client.get("/v1/openapi.json").json()

    assert served["servers"] == [{"url": "/v1"}, {"url": "/"}]


def test_no_text_pattern_only_refuses_nul(document: dict[str, Any]) -> None:
    """Swagger UI would show a random string matching it as every text's example."""
    components = document["components"]["schemas"]
    assert not [node for node in schemas_in(components) if node.get("pattern") == NO_NUL]


def test_bounds_are_exact_and_64_bit_limits_are_formats(document: dict[str, Any]) -> None:
    for node in schemas_in(document):
        for key in ("minimum", "maximum"):
            bound = node.get(key)
            if node.get("type") == "integer" and isinstance(bound, float):
                # FastAPI writes component bounds as doubles: one that a double and a decimal
                # reader both take as the same integer, within the column
                assert decimal.Decimal(repr(bound)) == int(bound), node
                assert -(2**63) <= int(bound) <= 2**63 - 1, node
    product = document["components"]["schemas"]["ProductCreate"]["properties"]
    assert product["views"] == {
        "default": 0,
        "format": "int64",
        "title": "Views",
        "type": "integer",
    }
    assert (product["stock"]["format"], product["stock"]["maximum"]) == ("int32", 2147483647)
    path = document["paths"]["/api/products/{product_id}"]["get"]["parameters"]
    (product_id,) = [p["schema"] for p in path if p["name"] == "product_id"]
    assert product_id["maximum"] == 2**63 - 1  # parameters are written as integers


def test_examples_are_valid_values_of_their_schemas(document: dict[str, Any]) -> None:
    shown = 0
    checker = Draft202012Validator.FORMAT_CHECKER
    for node in schemas_in(document["components"]["schemas"]):
        examples = node.get("examples")
        if isinstance(examples, list) and "$ref" not in node:
            schema = {key: value for key, value in node.items() if key != "examples"}
            for example in examples:
                Draft202012Validator(schema, format_checker=checker).validate(example)
                shown += 1
    assert shown > 0


def test_ip_addresses_are_string_branches_without_const(document: dict[str, Any]) -> None:
    prop = document["components"]["schemas"]["ProductRead"]["properties"]["last_seen_ip"]
    assert all("const" not in node for node in schemas_in(prop))
    (addresses,) = [branch for branch in prop["anyOf"] if branch != {"type": "null"}]
    assert {branch["type"] for branch in addresses["anyOf"]} == {"string"}


def test_an_empty_ip_address_is_stored_as_null(client: TestClient) -> None:
    created = client.post(
        "/api/products", json={"sku": "IP-1", "name": "Router", "price": 5, "last_seen_ip": ""}
    )

    assert created.status_code == 201, created.text
    assert created.json()["last_seen_ip"] is None
    refused = client.post(
        "/api/products", json={"sku": "IP-2", "name": "Router", "price": 5, "last_seen_ip": "x"}
    )
    assert_problem(refused, 422)


def test_a_nul_character_in_a_body_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/api/products", json={"sku": "NUL-1", "name": "a\x00b", "price": "1.00"}
    )

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "loc": ["body", "name"],
            "message": "Null characters (\\u0000) are not allowed.",
            "code": "null_characters_not_allowed",
        }
    ]


def test_a_request_without_credentials_gets_a_challenge_without_error_code(
    secure_client: TestClient,
) -> None:
    response = secure_client.get("/api/companies")

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"  # RFC 6750 §3.1
    invalid = secure_client.get("/api/companies", headers={"Authorization": "Bearer x.y.z"})
    assert invalid.headers["www-authenticate"] == 'Bearer error="invalid_token"'
