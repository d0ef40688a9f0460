"""List parameters as generated clients send them, and list items as the document types them.

Generated clients (openapi-typescript + openapi-fetch, openapi-python-client) repeat an array
parameter (``order_by=a&order_by=b``); people write comma lists. The document says the first,
the server takes both. A list item documents the keys every full item has (``.ci/clients``
type-checks clients against that); ``fields=`` is a sparse fieldset that may leave them out.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from djgateway.sandbox.business.models import Company, CompanyDepartment
from djgateway.sandbox.catalog.models import Product

pytestmark = pytest.mark.usefixtures("demo")

Query = list[tuple[str, str]]


def page(client: TestClient, url: str, query: Query) -> dict[str, Any]:
    response = client.get(url, params=query)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def skus(client: TestClient, query: Query) -> list[str]:
    return [item["sku"] for item in page(client, "/api/products", query)["items"]]


@pytest.mark.parametrize(
    "query",
    [
        [("order_by", "-in_stock"), ("order_by", "-price"), ("order_by", "sku")],
        [("order_by", "-in_stock,-price,sku")],
        [("order_by", "-in_stock,-price"), ("order_by", "sku")],
    ],
    ids=["repeated", "comma", "mixed"],
)
def test_order_by_in_either_spelling(client: TestClient, query: Query) -> None:
    ordered = page(client, "/api/products", query)["items"]

    def key(item: dict[str, Any]) -> tuple[bool, float, str]:
        return (not item["in_stock"], -float(item["price"]), item["sku"])

    assert [i["sku"] for i in ordered] == [i["sku"] for i in sorted(ordered, key=key)]
    assert len({i["in_stock"] for i in ordered}) == 2  # the first key really orders


def test_a_cursor_follows_a_repeated_order_by(client: TestClient) -> None:
    query = [("order_by", "-price"), ("order_by", "sku"), ("limit", "2")]
    first = page(client, "/api/products", query)
    second = page(client, "/api/products", [*query, ("cursor", first["next_cursor"])])
    comma = page(client, "/api/products", [("order_by", "-price,sku"), ("limit", "4")])

    assert [i["sku"] for i in first["items"] + second["items"]] == [
        i["sku"] for i in comma["items"]
    ]


def test_order_by_counts_its_terms_across_repetitions(client: TestClient) -> None:
    names = ["name", "sku", "price", "weight", "stock", "views", "rating"]  # at most 5 (+ pk)
    response = client.get("/api/products", params=[("order_by", name) for name in names])

    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["query", "order_by"]


def test_order_by_refuses_an_unknown_name_in_any_repetition(client: TestClient) -> None:
    response = client.get("/api/products", params=[("order_by", "sku"), ("order_by", "nope")])

    assert response.status_code == 400
    assert "cannot order by 'nope'" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [[("fields", "sku"), ("fields", "price")], [("fields", "sku,price")]],
    ids=["repeated", "comma"],
)
def test_fields_in_either_spelling(client: TestClient, query: Query) -> None:
    items = page(client, "/api/products", [*query, ("order_by", "sku")])["items"]

    assert items and all(sorted(item) == ["price", "sku"] for item in items)


@pytest.mark.parametrize(
    "query",
    [
        [("sku__in", "DRL-002"), ("sku__in", "BK-004")],
        [("sku__in", "DRL-002,BK-004")],
        [("sku__in", "DRL-002,BK-004"), ("sku__in", "HAM-001")],
    ],
    ids=["repeated", "comma", "mixed"],
)
def test_in_filters_in_either_spelling(client: TestClient, query: Query) -> None:
    expected = sorted(value for _name, raw in query for value in raw.split(","))

    assert skus(client, [*query, ("order_by", "sku")]) == expected


def test_group_by_in_either_spelling(client: TestClient) -> None:
    url = "/api/products:aggregate/count/id"
    repeated = page(client, url, [("group_by", "in_stock"), ("group_by", "release_date__year")])
    comma = page(client, url, [("group_by", "in_stock,release_date__year")])

    assert repeated == comma
    assert set(repeated["groups"][0]["key"]) == {"in_stock", "release_date__year"}


def array_parameters(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", parameter["name"], parameter)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["schema"].get("type") == "array"
    ]


def test_every_array_query_parameter_is_declared_repeated(sandbox_app: FastAPI) -> None:
    found = array_parameters(sandbox_app.openapi())

    assert {name for _operation, name, _parameter in found} >= {"order_by", "fields", "group_by"}
    wrong = [
        (operation, name)
        for operation, name, parameter in found
        if parameter.get("style", "form") != "form" or parameter.get("explode", True) is not True
    ]
    assert wrong == []


def test_every_list_takes_its_array_parameters_repeated(
    client: TestClient, open_sandbox_app: FastAPI
) -> None:
    """Two names of each ``order_by`` and ``fields`` enum, as a generated client sends them."""
    company = Company.objects.get(name="Acme Corp")
    department = CompanyDepartment.objects.filter(company=company).first()
    assert department is not None
    product = Product.objects.get(sku="HAM-001").pk
    ids = {"company_id": company.pk, "department_id": department.pk, "product_id": product}
    checked = 0
    for operation, name, parameter in array_parameters(open_sandbox_app.openapi()):
        _method, path = operation.split(" ", 1)
        if name not in ("order_by", "fields") or "{" in path.rsplit("/", 1)[-1]:
            continue
        names = [n for n in parameter["schema"]["items"]["enum"] if not n.startswith("-")][:2]
        response = client.get(path.format(**ids), params=[(name, n) for n in names])
        assert response.status_code == 200, (operation, name, response.text)
        if name == "fields":
            items = response.json()["items"]
            assert all(set(item) == set(names) for item in items), (operation, items[:1])
        checked += 1
    assert checked >= 20


def components(app: FastAPI) -> dict[str, Any]:
    schemas: dict[str, Any] = app.openapi()["components"]["schemas"]
    return schemas


def test_a_list_item_requires_what_the_read_schema_requires(sandbox_app: FastAPI) -> None:
    schemas = components(sandbox_app)
    items = [name for name in schemas if name.endswith("ListItem")]

    assert len(items) >= 10
    for name in items:
        read = schemas[name.removesuffix("ListItem") + "Read"]
        assert schemas[name].get("required") == read.get("required"), name
    # A field behind a read scope may be hidden from a caller: it stays optional.
    assert "email" not in schemas["EmployeeListItem"]["required"]
    assert "user_id" in schemas["EmployeeListItem"]["required"]


def test_the_fields_parameter_documents_a_sparse_fieldset(sandbox_app: FastAPI) -> None:
    parameters = sandbox_app.openapi()["paths"]["/api/products"]["get"]["parameters"]
    [fields] = [p for p in parameters if p["name"] == "fields"]

    assert "sparse fieldset" in fields["description"]


def test_full_pages_carry_every_required_key(client: TestClient, open_sandbox_app: FastAPI) -> None:
    document = open_sandbox_app.openapi()
    company = Company.objects.get(name="Acme Corp")
    product = Product.objects.get(sku="HAM-001").pk
    for url, component in [
        ("/api/products", "ProductPage"),
        (f"/api/products/{product}/reviews", "ReviewPage"),
        (f"/api/companies/{company.pk}/employees", "EmployeePage"),
        ("/api/tags", "TagPage"),
    ]:
        body = page(client, url, [])
        assert body["items"], url
        schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
        jsonschema.validate(body, schema)  # required keys included
