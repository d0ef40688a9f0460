"""One visibility rule at every level and through every channel: ancestors' row filters with
their own grants, PUT syncs with each child action's scopes, relation filters, soft-deleted
parents (issue 12, items 3-6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q
from fastapi.testclient import TestClient

from djgateway import Gateway, Resource, Scopes
from djgateway.sandbox.business.models import Company, CompanyCostcenter, CompanyDepartment
from djgateway.sandbox.demo import TENANT_A
from djgateway.sandbox.gateway import SANDBOX_TOKENS, company_objects_filter
from djgateway.testing import bearer_headers
from tests.problems import assert_problem
from tests.testapp.models import Book, Library, Loan, Shelf

pytestmark = pytest.mark.usefixtures("demo")

B = "business"
OWNER = "user-1-owner"  # owns Acme Corp in the demo data, not Acme Labs


def auth(*scopes: str, sub: str = "admin") -> dict[str, str]:
    return bearer_headers(SANDBOX_TOKENS, subject=sub, scopes=scopes, tenant=TENANT_A)


@pytest.fixture
def business(transactional_db: Any) -> Iterator[TestClient]:
    """Every business resource with its own auto scopes, as the README sets them up."""
    gateway = Gateway(
        apps=["business"],
        security=SANDBOX_TOKENS,
        scopes=Scopes.auto(B),
        resources={
            "business.Company": Resource(
                objects_filter=company_objects_filter,
                writable_children=["costcenters"],
                sync_delete=True,
                # soft delete through a field every company has (the test needs a status)
                delete_status=("internal_notes", "deleted"),
            ),
            "business.AuditEntry": Resource(expose=False),
        },
    )
    with TestClient(gateway.app()) as client:
        yield client


def test_an_ancestor_filter_is_evaluated_with_the_grant_for_its_own_scope(
    business: TestClient,
) -> None:
    labs = Company.objects.get(name="Acme Labs")
    caller = auth(f"{B}.companies.read.own", f"{B}.costcenters.read.any", sub=OWNER)
    assert_problem(business.get(f"/companies/{labs.pk}", headers=caller), 404)
    assert_problem(business.get(f"/companies/{labs.pk}/costcenters", headers=caller), 404)
    acme = Company.objects.get(name="Acme Corp")
    assert business.get(f"/companies/{acme.pk}/costcenters", headers=caller).status_code == 200


def test_a_level_the_caller_holds_no_scope_for_hides_its_children(business: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    caller = auth(f"{B}.costcenters.read.any", sub=OWNER)
    assert_problem(business.get(f"/companies/{acme.pk}/costcenters", headers=caller), 404)


def _sync_body(company: Company, costcenters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": company.name, "costcenters": costcenters}


def test_a_sync_needs_the_delete_scope_of_the_children_it_deletes(business: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    before = sorted(CompanyCostcenter.objects.filter(company=acme).values_list("pk", "name"))
    assert before, "the demo company has cost centers"
    caller = auth(
        f"{B}.companies.update.any",
        f"{B}.companies.read.any",
        f"{B}.costcenters.read.any",
        f"{B}.costcenters.create",
    )
    body = _sync_body(acme, [{"code": "NEW", "name": "New"}])
    refused = assert_problem(business.put(f"/companies/{acme.pk}", json=body, headers=caller), 403)
    assert f"{B}.costcenters.delete" in refused["detail"]
    after = sorted(CompanyCostcenter.objects.filter(company=acme).values_list("pk", "name"))
    assert after == before  # nothing written, not even the new one


def test_a_sync_needs_the_update_scope_of_the_children_it_replaces(business: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    existing = list(CompanyCostcenter.objects.filter(company=acme).values("id", "code"))
    caller = auth(
        f"{B}.companies.update.any",
        f"{B}.companies.read.any",
        f"{B}.costcenters.read.any",
        f"{B}.costcenters.create",
    )
    items = [{"id": row["id"], "code": row["code"], "name": "Renamed"} for row in existing]
    body = _sync_body(acme, items)
    assert_problem(business.put(f"/companies/{acme.pk}", json=body, headers=caller), 403)
    assert not CompanyCostcenter.objects.filter(name="Renamed").exists()
    allowed = auth(
        f"{B}.companies.update.any",
        f"{B}.companies.read.any",
        f"{B}.costcenters.update.any",
        f"{B}.costcenters.read.any",
    )
    response = business.put(f"/companies/{acme.pk}", json=body, headers=allowed)
    assert response.status_code == 200, response.text
    assert CompanyCostcenter.objects.filter(name="Renamed").count() == len(existing)


def test_a_soft_deleted_parent_serves_no_children(business: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    department = CompanyDepartment.objects.filter(company=acme).first()
    assert department is not None
    admin = auth(
        f"{B}.companies.read.any",
        f"{B}.companies.delete.any",
        f"{B}.departments.read.any",
        f"{B}.departments.create",
        f"{B}.teams.read.any",
    )
    departments = f"/companies/{acme.pk}/departments"
    assert business.get(departments, headers=admin).status_code == 200
    assert business.delete(f"/companies/{acme.pk}", headers=admin).status_code == 204
    assert Company.objects.filter(pk=acme.pk).exists()  # marked, not removed
    assert_problem(business.get(departments, headers=admin), 404)
    assert_problem(business.get(f"{departments}/{department.pk}", headers=admin), 404)
    assert_problem(business.post(departments, json={"name": "Ghost"}, headers=admin), 404)
    teams = f"{departments}/{department.pk}/teams"
    assert_problem(business.get(teams, headers=admin), 404)


# -- relation filters ------------------------------------------------------------------


@pytest.fixture
def library_client(transactional_db: Any) -> Iterator[TestClient]:
    """Libraries hide every library but "Open": loans must not filter through them."""
    open_library = Library.objects.create(name="Open")
    hidden = Library.objects.create(name="Hidden")
    shelf = Shelf.objects.create(library=hidden, label="S")
    book = Book.objects.create(shelf=shelf, title="Secret")
    Loan.objects.create(book=book, library=hidden)
    Loan.objects.create(book=book, library=open_library)
    gateway = Gateway(
        apps=["testapp"],
        resources={
            "testapp.Library": Resource(objects_filter=lambda access: Q(name="Open")),
            **{
                label: Resource(expose=False)
                for label in ("testapp.Alpha", "testapp.Beta", "testapp.Node", "testapp.Tag")
            },
        },
    )
    with TestClient(gateway.app()) as client:
        yield client


@pytest.mark.parametrize(
    "params",
    [
        {"library__name__istartswith": "Hid"},
        {"!library__name": "Hidden"},
        {"book__title__istartswith": "Sec"},  # books live under libraries (nested)
        {"order_by": "library__name"},
    ],
)
def test_a_filter_into_rows_the_caller_may_not_see_is_refused(
    library_client: TestClient, params: dict[str, str]
) -> None:
    body = assert_problem(library_client.get("/loans", params=params), 400)
    assert "allowed" in body["detail"].lower()


def test_refused_relation_names_are_not_documented(library_client: TestClient) -> None:
    document = library_client.get("/openapi.json").json()
    names = {p["name"] for p in document["paths"]["/loans"]["get"]["parameters"]}
    assert "library" in names or "library_id" in names  # the row's own column stays
    assert not {n for n in names if n.startswith(("library__", "book__"))}


def test_own_foreign_key_columns_stay_filterable(library_client: TestClient) -> None:
    hidden = Library.objects.get(name="Hidden")
    response = library_client.get("/loans", params={"library_id": hidden.pk})
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == 1  # the loan's own value, nothing of the library
