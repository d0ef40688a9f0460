"""Children created with their parent in one request, and bulk create: all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from djgateway import Gateway, Resource, Scopes
from djgateway.sandbox.business.models import (
    Company,
    CompanyCostcenter,
    CompanyDepartment,
    CompanyDepartmentTeam,
)
from djgateway.sandbox.demo import TENANT_A
from djgateway.sandbox.gateway import SANDBOX_TOKENS
from djgateway.testing import GatewayClient
from tests.sql import capture_sql

pytestmark = pytest.mark.usefixtures("demo")

TENANT = "aaaaaaaa-0000-4000-8000-000000000001"


def business(**options: Any) -> Gateway:
    return Gateway(
        apps=["business"],
        resources={
            "business.Company": Resource(writable_children=["departments", "costcenters"]),
            "business.CompanyDepartment": Resource(writable_children=["teams"], bulk_max=3),
            "business.AuditEntry": Resource(expose=False),
        },
        **options,
    )


@pytest.fixture
def client(transactional_db: Any) -> Iterator[TestClient]:
    with TestClient(business().app()) as test_client:
        yield test_client


def company_tree(teams: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tenant_id": TENANT,
        "name": "Nested Inc",
        "departments": [{"name": "R&D", "teams": teams}, {"name": "Ops"}],
        "costcenters": [{"code": "N-1", "name": "Main"}],
    }


def test_create_with_children_two_levels_deep(client: TestClient) -> None:
    response = client.post("/companies", json=company_tree([{"name": "A"}, {"name": "B"}]))
    assert response.status_code == 201, response.text
    body = response.json()
    company = Company.objects.get(name="Nested Inc")
    assert response.headers["location"] == f"/companies/{company.pk}"
    assert [d["name"] for d in body["departments"]] == ["R&D", "Ops"]
    assert [t["name"] for t in body["departments"][0]["teams"]] == ["A", "B"]
    assert body["departments"][1]["teams"] == []
    assert body["costcenters"][0]["code"] == "N-1"
    rnd = CompanyDepartment.objects.get(company=company, name="R&D")
    assert body["departments"][0]["id"] == rnd.pk
    assert sorted(rnd.teams.values_list("name", flat=True)) == ["A", "B"]
    # the response is what a read returns, plus the children
    read = client.get(f"/companies/{company.pk}").json()
    assert {k: v for k, v in body.items() if k not in ("departments", "costcenters")} == read


def test_a_bad_grandchild_leaves_nothing_written(client: TestClient) -> None:
    before = (Company.objects.count(), CompanyDepartment.objects.count())
    response = client.post("/companies", json=company_tree([{"name": "A"}, {"name": "x" * 101}]))
    assert response.status_code == 422
    locations = [error["loc"] for error in response.json()["errors"]]
    assert ["body", "departments", 0, "teams", 1, "name"] in locations
    assert (Company.objects.count(), CompanyDepartment.objects.count()) == before
    assert not CompanyDepartmentTeam.objects.filter(name="A").exists()


def test_a_conflict_between_children_rolls_everything_back(client: TestClient) -> None:
    tree = company_tree([])
    tree["departments"] = [{"name": "Same"}, {"name": "Same"}]
    response = client.post("/companies", json=tree)
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "departments", 1, "name"]
    assert not Company.objects.filter(name="Nested Inc").exists()


def test_children_keys_are_only_accepted_where_enabled(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    response = client.post(
        f"/companies/{acme.pk}/costcenters", json={"code": "X", "name": "X", "teams": []}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "extra_forbidden"


def test_nested_create_cost_grows_linearly(client: TestClient) -> None:
    def statements(teams: int) -> int:
        tree = company_tree([{"name": f"T{n}"} for n in range(teams)])
        tree["name"] = f"Linear {teams}"
        with capture_sql() as log:
            assert client.post("/companies", json=tree).status_code == 201
        return len(log)

    one, two, three = statements(1), statements(2), statements(3)
    assert two - one == three - two  # a fixed number of statements per extra team
    assert two - one == 2  # insert, read back (the parent link is not validated again)


def test_bulk_create_is_all_or_nothing_with_indexed_errors(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    url = f"/companies/{acme.pk}/departments"
    created = client.post(
        url, json=[{"name": "Bulk 1"}, {"name": "Bulk 2", "teams": [{"name": "T"}]}]
    )
    assert created.status_code == 201, created.text
    items = created.json()["items"]
    assert [d["name"] for d in items] == ["Bulk 1", "Bulk 2"]
    assert items[1]["teams"][0]["name"] == "T"
    failed = client.post(url, json=[{"name": "Bulk 3"}, {"name": "Engineering"}])
    assert failed.status_code == 409
    assert failed.json()["errors"][0]["loc"] == ["body", 1, "name"]
    assert not CompanyDepartment.objects.filter(name="Bulk 3").exists()
    too_many = client.post(url, json=[{"name": f"M{n}"} for n in range(4)])
    assert too_many.status_code == 422
    assert client.post(url, json=[]).status_code == 422


def test_bulk_create_is_off_unless_enabled(client: TestClient) -> None:
    response = client.post("/companies", json=[{"tenant_id": TENANT, "name": "One"}])
    assert response.status_code == 422
    assert not Company.objects.filter(name="One").exists()


def test_nested_items_need_the_child_resource_scopes(transactional_db: Any) -> None:
    secured = Gateway(
        apps=["business"],
        security=SANDBOX_TOKENS,
        resources={
            "business.Company": Resource(
                writable_children=["departments"], scopes=Scopes.auto("business")
            ),
            "business.AuditEntry": Resource(expose=False),
        },
    )
    tree = {"name": "Scoped", "departments": [{"name": "D"}]}
    with GatewayClient(secured) as client:
        creator = client.as_caller(
            subject="u", tenant=TENANT_A, scopes=["business.companies.create"]
        )
        response = creator.post("/companies", json=tree)
        assert response.status_code == 403
        assert "business.companies.update.any" in response.json()["detail"]
        assert not Company.objects.filter(name="Scoped").exists()
        alone = creator.post("/companies", json={"name": "Scoped"})
        assert alone.status_code == 201, alone.text


# -- PUT synchronises children ---------------------------------------------------------


@pytest.fixture
def sync_client(transactional_db: Any) -> Iterator[TestClient]:
    gateway = Gateway(
        apps=["business"],
        resources={
            "business.Company": Resource(
                writable_children=["departments", "costcenters"], sync_delete=True
            ),
            "business.CompanyDepartment": Resource(writable_children=["teams"]),
            "business.CompanyCostcenter": Resource(sync_matching=["code"]),
            "business.AuditEntry": Resource(expose=False),
        },
    )
    with TestClient(gateway.app()) as test_client:
        yield test_client


def acme_put(**children: Any) -> dict[str, Any]:
    return {"tenant_id": TENANT, "name": "Acme Corp", "founded": "1990-04-01", **children}


def test_put_creates_updates_and_deletes_children(sync_client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    engineering = CompanyDepartment.objects.get(company=acme, name="Engineering")
    sales = CompanyDepartment.objects.get(company=acme, name="Sales")
    finance = CompanyDepartment.objects.get(company=acme, name="Finance")
    body = acme_put(
        departments=[
            {"id": engineering.pk, "name": "Engineering", "teams": [{"name": "Platform"}]},
            {"id": sales.pk, "name": "Sales & Marketing"},
            {"name": "Legal"},
        ]
    )
    response = sync_client.put(f"/companies/{acme.pk}", json=body)
    assert response.status_code == 200, response.text
    report = response.json()["sync"]
    legal = CompanyDepartment.objects.get(company=acme, name="Legal")
    assert report["companies.departments"] == {
        "created": [legal.pk],
        "updated": [engineering.pk, sales.pk],
        "deleted": [finance.pk],
    }
    assert not CompanyDepartment.objects.filter(pk=finance.pk).exists()
    assert CompanyDepartment.objects.get(pk=sales.pk).name == "Sales & Marketing"
    # Engineering's teams: "Platform" has no id, so it is created; Mobile and the old
    # Platform stay (departments do not delete missing teams)
    teams = report["companies.departments.teams"]
    assert len(teams["created"]) == 1 and teams["deleted"] == []
    assert "costcenters" not in report  # a list left out is left alone
    assert acme.costcenters.count() == 2


def test_children_are_matched_by_natural_key(sync_client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    cc100 = CompanyCostcenter.objects.get(company=acme, code="CC-100")
    body = acme_put(costcenters=[{"code": "CC-100", "name": "Research & Development"}])
    response = sync_client.put(f"/companies/{acme.pk}", json=body)
    assert response.status_code == 200, response.text
    report = response.json()["sync"]["companies.costcenters"]
    assert report["updated"] == [cc100.pk]
    assert report["created"] == []
    assert len(report["deleted"]) == 1
    cc100.refresh_from_db()
    assert cc100.name == "Research & Development"


def test_a_child_of_another_parent_cannot_be_taken_over(sync_client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    foreign = CompanyDepartment.objects.get(company__name="Globex", name="Support")
    body = acme_put(departments=[{"id": foreign.pk, "name": "Mine now"}])
    response = sync_client.put(f"/companies/{acme.pk}", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "departments", 0, "id"]
    foreign.refresh_from_db()
    assert (foreign.company.name, foreign.name) == ("Globex", "Support")
    assert acme.departments.count() == 3


def test_dry_run_reports_without_writing(sync_client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    response = sync_client.put(
        f"/companies/{acme.pk}",
        json=acme_put(departments=[{"name": "Only"}]),
        headers={"Prefer": "tx=rollback"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["preference-applied"] == "tx=rollback"
    report = response.json()["sync"]["companies.departments"]
    assert len(report["created"]) == 1 and len(report["deleted"]) == 3
    assert sorted(acme.departments.values_list("name", flat=True)) == [
        "Engineering",
        "Finance",
        "Sales",
    ]


def test_max_affected_refuses_a_large_sync(sync_client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    response = sync_client.put(
        f"/companies/{acme.pk}",
        json=acme_put(departments=[{"name": "Only"}]),
        headers={"Prefer": "max-affected=3"},
    )
    assert response.status_code == 400
    assert "would touch 5 rows" in response.json()["detail"]
    assert acme.departments.count() == 3
    allowed = sync_client.put(
        f"/companies/{acme.pk}",
        json=acme_put(departments=[{"name": "Only"}]),
        headers={"Prefer": "max-affected=5"},
    )
    assert allowed.status_code == 200
    assert list(acme.departments.values_list("name", flat=True)) == ["Only"]


def test_patch_never_touches_children(sync_client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    response = sync_client.patch(f"/companies/{acme.pk}", json={"departments": []})
    assert response.status_code == 422
    assert sync_client.patch(f"/companies/{acme.pk}", json={"name": "Acme"}).status_code == 200
    assert acme.departments.count() == 3
