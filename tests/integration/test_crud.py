"""CRUD at every nesting level of the sandbox, over HTTP, on the test database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from djgateway.sandbox.business.models import (
    Company,
    CompanyDepartment,
    CompanyDepartmentTeam,
    Employee,
)
from djgateway.sandbox.catalog.models import Product, Tag, Warehouse
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("demo")


def company(name: str) -> Company:
    return Company.objects.get(name=name)


def department(company_name: str, name: str) -> CompanyDepartment:
    return CompanyDepartment.objects.get(company__name=company_name, name=name)


def team(name: str) -> CompanyDepartmentTeam:
    return CompanyDepartmentTeam.objects.get(name=name)


def team_url(item: CompanyDepartmentTeam) -> str:
    dept = item.department
    return f"/api/companies/{dept.company_id}/departments/{dept.pk}/teams/{item.pk}"


# -- reads -----------------------------------------------------------------------------


def test_list_top_level_returns_items_without_excluded_fields(client: TestClient) -> None:
    response = client.get("/api/companies")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["name"] for item in items] == ["Acme Corp", "Acme Labs", "Globex"]
    assert "internal_notes" not in items[0]
    assert set(items[0]) == {"id", "tenant_id", "name", "founded", "created_at", "updated_at"}


def test_list_two_levels_down_returns_only_that_parents_children(client: TestClient) -> None:
    engineering = department("Acme Corp", "Engineering")
    url = f"/api/companies/{engineering.company_id}/departments/{engineering.pk}/teams"
    response = client.get(url)
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["items"]] == ["Platform", "Mobile"]
    assert all(t["department_id"] == engineering.pk for t in response.json()["items"])


def test_retrieve_at_depth_three(client: TestClient) -> None:
    platform = team("Platform")
    response = client.get(team_url(platform))
    assert response.status_code == 200
    assert response.json() == {
        "id": platform.pk,
        "department_id": platform.department_id,
        "name": "Platform",
        "headcount": 12,
    }


def test_sensitive_field_is_not_exposed(client: TestClient) -> None:
    acme = company("Acme Corp")
    response = client.get(f"/api/companies/{acme.pk}/employees")
    assert response.status_code == 200
    employee = response.json()["items"][0]
    assert "api_token" not in employee
    assert employee["type"] == "owner"


def test_list_is_bounded_by_the_page_size(client: TestClient) -> None:
    acme = company("Acme Corp")
    CompanyDepartment.objects.bulk_create(
        CompanyDepartment(company=acme, name=f"Bulk {n}") for n in range(150)
    )
    response = client.get(f"/api/companies/{acme.pk}/departments")
    assert len(response.json()["items"]) == 100


def test_every_field_type_round_trips_through_the_product_resource(client: TestClient) -> None:
    tags = [str(t.pk) for t in Tag.objects.order_by("name")[:2]]
    payload = {
        "sku": "RT-1",
        "name": "Round trip",
        "price": "12.30",
        "weight": 1.25,
        "in_stock": False,
        "release_date": "2024-02-29",
        "available_from": "09:30:00",
        "warranty": "P2DT3H",
        "attributes": {"nested": [1, "two", None]},
        "homepage": "https://example.com/rt",
        "last_seen_ip": "2001:db8::1",
        "rating": 4,
        "stock": 7,
        "views": 2**40,
        "position": 3,
        "manual": "manuals/rt.pdf",
        "tags": tags,
    }
    created = client.post("/api/products", json=payload)
    assert created.status_code == 201, created.text
    body = created.json()
    for key, value in payload.items():
        if key == "tags":
            assert sorted(body["tags"]) == sorted(tags)
        elif key == "warranty":
            assert body[key] == "P2DT3H"
        else:
            assert body[key] == value, key
    assert body["checksum"] is None
    fetched = client.get(created.headers["location"])
    assert fetched.json() == body
    stored = Product.objects.get(sku="RT-1")
    assert str(stored.price) == "12.30"
    assert sorted(str(t.pk) for t in stored.tags.all()) == sorted(tags)


# -- create ----------------------------------------------------------------------------


def test_create_nested_sets_parent_from_path_and_returns_location(client: TestClient) -> None:
    engineering = department("Acme Corp", "Engineering")
    url = f"/api/companies/{engineering.company_id}/departments/{engineering.pk}/teams"
    response = client.post(url, json={"name": "Data"})
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["department_id"] == engineering.pk
    assert created["headcount"] == 0
    assert response.headers["location"] == f"{url}/{created['id']}"
    assert CompanyDepartmentTeam.objects.get(pk=created["id"]).department == engineering


def test_create_with_string_primary_key(client: TestClient) -> None:
    response = client.post("/api/warehouses", json={"code": "OSL-1", "city": "Oslo"})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/api/warehouses/OSL-1"
    assert client.get("/api/warehouses/OSL-1").json() == {"code": "OSL-1", "city": "Oslo"}


def test_create_cannot_set_the_parent_link_in_the_body(client: TestClient) -> None:
    acme, globex = company("Acme Corp"), company("Globex")
    response = client.post(
        f"/api/companies/{acme.pk}/departments", json={"name": "X", "company_id": globex.pk}
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "company_id"]
    assert not CompanyDepartment.objects.filter(name="X").exists()


def test_create_rejects_read_only_fields(client: TestClient) -> None:
    for extra in ({"id": 999}, {"created_at": "2020-01-01T00:00:00Z"}):
        payload = {"tenant_id": str(_uuid()), "name": "N"} | extra
        response = client.post("/api/companies", json=payload)
        body = assert_problem(response, 422)
        assert body["errors"][0]["code"] == "extra_forbidden"
    assert not Company.objects.filter(name="N").exists()


def test_create_under_missing_parent_is_404(client: TestClient) -> None:
    response = client.post("/api/companies/999999/departments", json={"name": "Ghost"})
    assert_problem(response, 404)
    assert not CompanyDepartment.objects.filter(name="Ghost").exists()


def test_create_under_wrong_grandparent_is_404(client: TestClient) -> None:
    engineering = department("Acme Corp", "Engineering")
    globex = company("Globex")
    url = f"/api/companies/{globex.pk}/departments/{engineering.pk}/teams"
    assert_problem(client.post(url, json={"name": "Sneaky"}), 404)
    assert not CompanyDepartmentTeam.objects.filter(name="Sneaky").exists()


# -- validation and conflicts ----------------------------------------------------------


def test_validation_errors_are_422_with_field_locations(client: TestClient) -> None:
    response = client.post(
        "/api/products",
        json={"sku": "V-1", "name": "x" * 121, "price": "1.00", "rating": 9, "in_stock": "yes"},
    )
    body = assert_problem(response, 422)
    locations = {tuple(error["loc"]) for error in body["errors"]}
    assert {("body", "name"), ("body", "rating"), ("body", "in_stock")} <= locations


def test_model_validation_runs_before_saving(client: TestClient) -> None:
    acme = company("Acme Corp")
    response = client.post(
        f"/api/companies/{acme.pk}/employees",
        json={"user_id": "u-9", "email": "not-an-email"},
    )
    body = assert_problem(response, 422)
    assert body["errors"] == [
        {"loc": ["body", "email"], "message": "Enter a valid email address.", "code": "invalid"}
    ]
    assert not Employee.objects.filter(user_id="u-9").exists()


def test_unknown_foreign_key_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/products", json={"sku": "FK-1", "name": "n", "price": "1.00", "category_id": 424242}
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "category_id"]
    assert not Product.objects.filter(sku="FK-1").exists()


def test_unknown_many_to_many_id_is_422_and_nothing_is_written(client: TestClient) -> None:
    response = client.post(
        "/api/products",
        json={"sku": "M2M-1", "name": "n", "price": "1.00", "tags": [str(_uuid())]},
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["loc"] == ["body", "tags"]
    assert not Product.objects.filter(sku="M2M-1").exists()


def test_unique_constraint_conflict_is_409(client: TestClient) -> None:
    acme = company("Acme Corp")
    response = client.post(f"/api/companies/{acme.pk}/departments", json={"name": "Engineering"})
    body = assert_problem(response, 409)
    assert body["errors"][0]["loc"] == ["body", "name"]
    assert CompanyDepartment.objects.filter(company=acme, name="Engineering").count() == 1


def test_unique_field_conflict_is_409(client: TestClient) -> None:
    response = client.post("/api/products", json={"sku": "HAM-001", "name": "n", "price": "1"})
    body = assert_problem(response, 409)
    assert body["errors"][0]["loc"] == ["body", "sku"]


def test_same_name_under_another_parent_is_allowed(client: TestClient) -> None:
    globex = company("Globex")
    response = client.post(f"/api/companies/{globex.pk}/departments", json={"name": "Finance"})
    assert response.status_code == 201


def test_malformed_json_is_422_problem(client: TestClient) -> None:
    response = client.post(
        "/api/companies", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["code"] == "json_invalid"


def test_invalid_path_id_is_422_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/api/companies/not-a-number"), 422)
    assert body["errors"][0]["loc"] == ["path", "company_id"]


# -- update ----------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(client: TestClient) -> None:
    platform = team("Platform")
    response = client.patch(team_url(platform), json={"headcount": 13})
    assert response.status_code == 200, response.text
    assert response.json()["headcount"] == 13
    assert response.json()["name"] == "Platform"
    platform.refresh_from_db()
    assert (platform.name, platform.headcount) == ("Platform", 13)


def test_patch_null_sets_null_but_omitted_keeps_value(client: TestClient) -> None:
    hammer = Product.objects.get(sku="HAM-001")
    assert hammer.weight is not None
    response = client.patch(f"/api/products/{hammer.pk}", json={"weight": None})
    assert response.status_code == 200, response.text
    hammer.refresh_from_db()
    assert hammer.weight is None
    assert hammer.rating == 5


def test_patch_null_on_non_nullable_field_is_422(client: TestClient) -> None:
    platform = team("Platform")
    assert_problem(client.patch(team_url(platform), json={"name": None}), 422)


def test_patch_cannot_change_primary_key_or_parent(client: TestClient) -> None:
    platform = team("Platform")
    other = department("Globex", "Engineering")
    for payload in ({"id": 5000}, {"department_id": other.pk}):
        assert_problem(client.patch(team_url(platform), json=payload), 422)
    platform.refresh_from_db()
    assert platform.department.name == "Engineering"
    assert platform.department.company.name == "Acme Corp"


def test_put_replaces_and_resets_omitted_fields_to_defaults(client: TestClient) -> None:
    platform = team("Platform")
    response = client.put(team_url(platform), json={"name": "Platform 2"})
    assert response.status_code == 200, response.text
    assert response.json()["headcount"] == 0
    platform.refresh_from_db()
    assert (platform.name, platform.headcount) == ("Platform 2", 0)


def test_put_requires_required_fields(client: TestClient) -> None:
    platform = team("Platform")
    body = assert_problem(client.put(team_url(platform), json={"headcount": 1}), 422)
    assert body["errors"][0]["loc"] == ["body", "name"]


def test_put_many_to_many_replaces_the_set(client: TestClient) -> None:
    hammer = Product.objects.get(sku="HAM-001")
    new = Tag.objects.get(name="new")
    response = client.patch(f"/api/products/{hammer.pk}", json={"tags": [str(new.pk)]})
    assert response.status_code == 200, response.text
    assert response.json()["tags"] == [str(new.pk)]
    assert list(hammer.tags.all()) == [new]


def test_update_conflict_is_409_and_leaves_the_row(client: TestClient) -> None:
    sales = department("Acme Corp", "Sales")
    url = f"/api/companies/{sales.company_id}/departments/{sales.pk}"
    assert_problem(client.patch(url, json={"name": "Engineering"}), 409)
    sales.refresh_from_db()
    assert sales.name == "Sales"


# -- delete ----------------------------------------------------------------------------


def test_delete_is_204_and_removes_the_row(client: TestClient) -> None:
    platform = team("Platform")
    response = client.delete(team_url(platform))
    assert response.status_code == 204
    assert response.content == b""
    assert not CompanyDepartmentTeam.objects.filter(pk=platform.pk).exists()
    assert_problem(client.get(team_url(platform)), 404)


def test_delete_protected_row_is_409(client: TestClient) -> None:
    hammer = Product.objects.get(sku="HAM-001")
    assert hammer.category_id is not None
    body = assert_problem(client.delete(f"/api/categories/{hammer.category_id}"), 409)
    assert "catalog.Product" in body["detail"]


def test_delete_with_string_key(client: TestClient) -> None:
    Warehouse.objects.create(code="TMP-1", city="Nowhere")
    assert client.delete("/api/warehouses/TMP-1").status_code == 204
    assert not Warehouse.objects.filter(code="TMP-1").exists()


# -- the parent chain ------------------------------------------------------------------


WRONG_PARENT_REQUESTS = [
    ("GET", None),
    ("PUT", {"name": "Hijacked"}),
    ("PATCH", {"name": "Hijacked"}),
    ("DELETE", None),
]


@pytest.mark.parametrize(("method", "payload"), WRONG_PARENT_REQUESTS)
def test_child_under_foreign_parent_is_404(
    client: TestClient, method: str, payload: dict[str, Any] | None
) -> None:
    platform = team("Platform")  # Acme Corp / Engineering
    globex = company("Globex")
    globex_engineering = department("Globex", "Engineering")
    urls = [
        # the right department under the wrong company
        f"/api/companies/{globex.pk}/departments/{platform.department_id}/teams/{platform.pk}",
        # a department of the wrong company
        f"/api/companies/{globex.pk}/departments/{globex_engineering.pk}/teams/{platform.pk}",
        # a company that does not exist
        f"/api/companies/999999/departments/{platform.department_id}/teams/{platform.pk}",
    ]
    for url in urls:
        assert_problem(client.request(method, url, json=payload), 404)
    platform.refresh_from_db()
    assert platform.name == "Platform"


def test_nested_list_under_foreign_or_missing_parent_is_404(client: TestClient) -> None:
    engineering = department("Acme Corp", "Engineering")
    globex = company("Globex")
    url = f"/api/companies/{globex.pk}/departments/{engineering.pk}/teams"
    assert_problem(client.get(url), 404)
    assert_problem(client.get("/api/companies/999999/departments"), 404)


def test_nested_list_of_existing_parent_without_children_is_empty(client: TestClient) -> None:
    globex = company("Globex")
    empty = CompanyDepartment.objects.create(company=globex, name="Empty")
    url = f"/api/companies/{globex.pk}/departments/{empty.pk}/teams"
    assert client.get(url).json() == {"items": [], "next_cursor": None}


def _uuid() -> Any:
    import uuid

    return uuid.uuid4()
