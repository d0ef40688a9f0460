"""The sandbox's OpenAPI document: valid, collision-free, typed, with the error body declared."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from openapi_spec_validator import validate

from djgateway.schemas.fields import INT64


@pytest.fixture(scope="module")
def document(sandbox_app: FastAPI) -> dict[str, Any]:
    return sandbox_app.openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


def test_sandbox_paths_are_nested_by_ownership(document: dict[str, Any]) -> None:
    related = {"/api/products/{product_id}/tags", "/api/products/{product_id}/tags/{tag_id}"}
    action = {"/api/companies/{company_id}/transfer-ownership"}  # Gateway.action
    paths = {p for p in document["paths"] if ":aggregate/" not in p} - related - action
    assert len(document["paths"]) == len(paths) * 3 // 2 + len(related) + len(action)
    assert related | action <= set(document["paths"])
    assert paths == {
        "/api/categories",
        "/api/categories/{category_id}",
        "/api/companies",
        "/api/companies/{company_id}",
        "/api/companies/{company_id}/costcenters",
        "/api/companies/{company_id}/costcenters/{costcenter_id}",
        "/api/companies/{company_id}/departments",
        "/api/companies/{company_id}/departments/{department_id}",
        "/api/companies/{company_id}/departments/{department_id}/teams",
        "/api/companies/{company_id}/departments/{department_id}/teams/{team_id}",
        "/api/companies/{company_id}/employees",
        "/api/companies/{company_id}/employees/{employee_id}",
        "/api/product-details",
        "/api/product-details/{product_detail_id}",
        "/api/products",
        "/api/products/{product_id}",
        "/api/products/{product_id}/reviews",
        "/api/products/{product_id}/reviews/{review_id}",
        "/api/stock-items",
        "/api/stock-items/{stock_item_id}",
        "/api/tags",
        "/api/tags/{tag_id}",
        "/api/warehouses",
        "/api/warehouses/{warehouse_id}",
    }


def test_every_resource_has_seven_operations(document: dict[str, Any]) -> None:
    ops = operations(document)
    # and list / link / unlink of the products' tags, and the sandbox's one custom endpoint
    assert len(ops) == 12 * 7 + 3 + 1
    collection = document["paths"]["/api/companies/{company_id}/departments"]
    item = document["paths"]["/api/companies/{company_id}/departments/{department_id}"]
    assert set(collection) == {"get", "post"}
    assert set(item) == {"get", "put", "patch", "delete"}


def test_operation_ids_are_unique_and_derived_from_the_path(document: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    teams = document["paths"]["/api/companies/{company_id}/departments/{department_id}/teams"]
    assert teams["get"]["operationId"] == "list_companies_departments_teams"
    assert teams["get"]["tags"] == ["Teams"]


def path_schema(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    for parameter in document["paths"][path]["get"]["parameters"]:
        if parameter["name"] == name:
            schema: dict[str, Any] = parameter["schema"]
            return schema
    raise KeyError(name)


def test_path_parameters_are_typed_from_the_primary_key(document: dict[str, Any]) -> None:
    big = path_schema(document, "/api/companies/{company_id}", "company_id")
    assert (big["type"], big["minimum"], big["maximum"]) == ("integer", 1, INT64[1])
    tag = path_schema(document, "/api/tags/{tag_id}", "tag_id")
    assert (tag["type"], tag["format"]) == ("string", "uuid")
    code = path_schema(document, "/api/warehouses/{warehouse_id}", "warehouse_id")
    assert (code["type"], code["maxLength"]) == ("string", 12)


def test_every_operation_declares_the_problem_body(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
        assert "503" in errors, (path, method)
        for response in errors.values():
            schema = response["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}


def test_item_and_write_operations_declare_their_errors(document: dict[str, Any]) -> None:
    item = document["paths"]["/api/companies/{company_id}/departments/{department_id}"]
    secured = {"401", "403"}
    assert set(item["get"]["responses"]) == {"200", "404", "422", "503"} | secured
    body = {"400", "413", "415", "422"}
    assert set(item["patch"]["responses"]) == {"200", "404", "409", "412", "503"} | secured | body
    assert set(item["delete"]["responses"]) == {"204", "404", "409", "412", "422", "503"} | secured
    assert "content" not in item["delete"]["responses"]["204"]
    products = document["paths"]["/api/products/{product_id}"]
    assert set(products["get"]["responses"]) == {"200", "404", "422", "503"}


def test_secured_operations_list_their_scopes(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["JWT"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    companies = document["paths"]["/api/companies"]
    assert companies["get"]["security"] == [
        {"JWT": ["business.companies.read.any", "business.companies.read.own"]}
    ]
    assert companies["post"]["security"] == [{"JWT": ["business.companies.create"]}]
    teams = document["paths"]["/api/companies/{company_id}/departments/{department_id}/teams"]
    assert teams["post"]["security"] == [
        {"JWT": ["business.companies.update.any", "business.companies.update.own"]}
    ]
    assert "inherited from companies" in teams["post"]["description"]
    assert document["paths"]["/api/products"]["get"]["security"] == []  # open, said so


def test_request_bodies_use_the_generated_schemas(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    create = schemas["CompanyDepartmentCreate"]
    assert create["required"] == ["name"]
    assert create["additionalProperties"] is False
    assert "company_id" not in create["properties"]
    assert "company_id" in schemas["CompanyDepartmentRead"]["properties"]
    assert "required" not in schemas["CompanyDepartmentPatch"]


def test_no_non_json_schema_constraint_keys_leak(document: dict[str, Any]) -> None:
    for node in walk(document["components"]["schemas"]):
        if isinstance(node, dict):
            assert not {"ge", "le", "gt", "lt"} & set(node), node


def test_sensitive_and_excluded_fields_are_absent(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "api_token" not in schemas["EmployeeRead"]["properties"]
    assert "internal_notes" not in schemas["CompanyRead"]["properties"]
    assert not any(name.startswith("AuditEntry") for name in schemas)


def ambiguous(first: str, second: str) -> bool:
    """Redocly's `no-ambiguous-paths`: two paths a request could match both of."""
    left, right = first.split("/"), second.split("/")
    return len(left) == len(right) and all(
        a == b or a.startswith("{") or b.startswith("{") for a, b in zip(left, right, strict=True)
    )


def test_no_two_paths_can_match_the_same_request(document: dict[str, Any]) -> None:
    paths = sorted(document["paths"])
    clashes = [(a, b) for i, a in enumerate(paths) for b in paths[i + 1 :] if ambiguous(a, b)]
    assert clashes == []
    assert "/api/companies/{company_id}/employees:aggregate/{function}/{field}" in paths


def test_no_query_parameter_is_named_like_a_path_parameter(document: dict[str, Any]) -> None:
    # `company_id` on /companies/{company_id}/departments would only repeat the path, and
    # generated clients rename one of the two (openapi-python-client: `company_id_path`)
    clashes = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            parameters = operation.get("parameters", [])
            in_path = {p["name"] for p in parameters if p["in"] == "path"}
            in_query = {p["name"] for p in parameters if p["in"] == "query"}
            clashes += [(method, path, name) for name in in_path & in_query]
    assert clashes == []
