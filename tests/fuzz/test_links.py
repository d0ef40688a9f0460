"""OpenAPI links from the ownership tree: create → what the new id unlocks; delete → read."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from djgateway.binding.links import response_links
from djgateway.sandbox.gateway import build_gateway

BODY_ID = "$response.body#/id"


@pytest.fixture(scope="module")
def links() -> dict[str, Any]:
    return response_links(build_gateway().plan)


def targets(links: dict[str, Any], operation_id: str, status: int) -> dict[str, Any]:
    found: dict[str, Any] = links[operation_id][status]["links"]
    return {link["operationId"]: link["parameters"] for link in found.values()}


def test_creating_a_parent_unlocks_its_item_and_its_childrens_collections(
    links: dict[str, Any],
) -> None:
    unlocked = targets(links, "create_companies_departments", 201)

    parameters = {"company_id": "$request.path.company_id", "department_id": BODY_ID}
    assert unlocked == {
        "retrieve_companies_departments": parameters,
        "replace_companies_departments": parameters,
        "update_companies_departments": parameters,
        "delete_companies_departments": parameters,
        "list_companies_departments_teams": parameters,
        "create_companies_departments_teams": parameters,
    }


def test_the_new_id_is_read_from_the_real_primary_key(links: dict[str, Any]) -> None:
    unlocked = targets(links, "create_warehouses", 201)

    assert unlocked["retrieve_warehouses"] == {"warehouse_id": "$response.body#/code"}


def test_a_deleted_item_is_read_again(links: dict[str, Any]) -> None:
    unlocked = targets(links, "delete_companies_departments_teams", 204)

    assert unlocked == {
        "retrieve_companies_departments_teams": {
            name: f"$request.path.{name}" for name in ("company_id", "department_id", "team_id")
        }
    }


def test_reads_and_updates_link_nowhere(links: dict[str, Any]) -> None:
    assert not {"list_companies", "retrieve_companies", "update_companies"} & set(links)


def test_fastapi_keeps_the_links_in_the_documented_success_response(sandbox_app: FastAPI) -> None:
    post = sandbox_app.openapi()["paths"]["/api/companies"]["post"]
    created = post["responses"]["201"]

    assert created["description"] == "The created item; its URL is in the Location header."
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/CompanyRead")
    assert created["links"]["create_companies_departments"]["parameters"] == {"company_id": BODY_ID}
