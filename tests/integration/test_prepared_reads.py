"""Retrieves compile their SQL once per shape and run it with each request's key values."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from djgateway.errors import ApiError
from djgateway.orm import ResourceStore, caller_for, request_scope
from djgateway.orm.prepared import StatementCache, prepare
from djgateway.query import parse_list_query
from djgateway.sandbox.business.models import CompanyDepartment, CompanyDepartmentTeam
from djgateway.sandbox.catalog.models import Product, Tag
from djgateway.security import ANONYMOUS
from tests.sql import capture_sql


def _store(key: str, secured: bool = False) -> ResourceStore:
    from djgateway.sandbox.gateway import build_gateway

    gateway = build_gateway(secured=secured)
    resource = gateway.plan.get(key)
    return ResourceStore(gateway.plan, resource, gateway.schemas[key])


def _retrieve(store: ResourceStore, ids: dict[str, Any], pk: Any) -> bytes:
    with request_scope():
        return store.retrieve(ids, pk, caller_for(store.resource, ANONYMOUS))


@pytest.mark.usefixtures("demo")
def test_one_statement_serves_every_row_and_path() -> None:
    store = _store("companies.departments.teams")
    teams = list(CompanyDepartmentTeam.objects.select_related("department")[:3])
    for team in teams:
        ids = {"company_id": team.department.company_id, "department_id": team.department_id}
        assert f'"name":"{team.name}"'.encode() in _retrieve(store, ids, team.pk)
    assert len(store.statements) == 1
    (statement,) = store.statements
    assert statement is not None and len(statement.slots) == 3  # pk and both parents


@pytest.mark.usefixtures("demo")
def test_a_wrong_parent_on_a_reused_statement_is_a_404() -> None:
    store = _store("companies.departments.teams")
    team = CompanyDepartmentTeam.objects.select_related("department").first()
    assert team is not None
    other = CompanyDepartment.objects.exclude(company_id=team.department.company_id).first()
    assert other is not None
    right = {"company_id": team.department.company_id, "department_id": team.department_id}
    wrong = {"company_id": other.company_id, "department_id": team.department_id}
    _retrieve(store, right, team.pk)
    with pytest.raises(ApiError) as raised:
        _retrieve(store, wrong, team.pk)
    assert raised.value.status == 404


@pytest.mark.usefixtures("demo")
def test_uuid_and_text_keys_are_prepared_like_django_prepares_them() -> None:
    tags = _store("tags")
    tag = Tag.objects.first()
    assert tag is not None
    assert str(tag.pk).encode() in _retrieve(tags, {}, tag.pk)
    assert len(tags.statements)
    assert None not in tags.statements
    warehouses = _store("warehouses")
    code = warehouses.model._default_manager.values_list("pk", flat=True).first()
    assert f'"{code}"'.encode() in _retrieve(warehouses, {}, code)
    assert None not in warehouses.statements and len(warehouses.statements)


@pytest.mark.usefixtures("demo")
def test_a_retrieve_through_a_reused_statement_is_one_sql_statement(client: TestClient) -> None:
    team = CompanyDepartmentTeam.objects.select_related("department").first()
    assert team is not None
    url = f"/api/companies/{team.department.company_id}/departments/{team.department_id}"
    client.get(f"{url}/teams/{team.pk}")  # compiles
    with capture_sql() as log:
        assert client.get(f"{url}/teams/{team.pk}").status_code == 200
    assert len(log) == 1


@pytest.mark.usefixtures("demo")
def test_row_filters_keep_the_queryset_path() -> None:
    """A query that depends on the caller (tenant, row filter) is built per request."""
    store = _store("companies", secured=True)
    assert not store.resource.read_path.compiled
    assert "row filters or a tenant depend on the caller" in store.resource.read_path.reasons
    with pytest.raises(ApiError) as raised:
        _retrieve(store, {}, 1)  # anonymous: the tenant filter hides every row
    assert raised.value.status == 404
    assert len(store.statements) == 0


@pytest.mark.usefixtures("demo")
def test_a_stand_in_that_cannot_be_found_once_gives_no_statement() -> None:
    pk = Product._meta.pk
    assert pk is not None
    twice = prepare(
        lambda v: Product.objects.filter(pk=v["pk"], id=v["pk"]).values("id"), {"pk": pk}
    )
    assert twice is None  # the value appears twice among the parameters: not reusable
    once = prepare(lambda v: Product.objects.filter(pk=v["pk"]).values("id"), {"pk": pk})
    assert once is not None
    product = Product.objects.first()
    assert product is not None
    assert once.run({"pk": product.pk}) == [{"id": product.pk}]


@pytest.mark.usefixtures("demo")
def test_a_page_statement_serves_every_parent(client: TestClient) -> None:
    store_urls = []
    for department in CompanyDepartment.objects.all()[:4]:
        url = f"/api/companies/{department.company_id}/departments/{department.pk}/teams"
        store_urls.append((url, department))
    for url, department in store_urls:
        names = [t["name"] for t in client.get(url, params={"order_by": "name"}).json()["items"]]
        expected = CompanyDepartmentTeam.objects.filter(department=department).order_by("name")
        assert names == [team.name for team in expected]
    store = _store("companies.departments.teams")
    ids = {"company_id": store_urls[0][1].company_id, "department_id": store_urls[0][1].pk}
    caller = caller_for(store.resource, ANONYMOUS)
    for params in ([("order_by", "name")], [("order_by", "name")], [("order_by", "-name")]):
        query = parse_list_query(store.resource.query, params, prefer="", full_text=False)
        with request_scope():
            store.list_page(ids, query, caller)
    assert len(store.statements) == 2  # one per shape: (order_by=name), (order_by=-name)


def test_page_sizes_offsets_and_field_lists_are_never_compiled(demo: None) -> None:
    """A client varying what only it uses cannot evict the shapes every client shares."""
    store = _store("companies")
    caller = caller_for(store.resource, ANONYMOUS)
    shared = [("order_by", "name")]
    for params in ([("limit", "7")], [("offset", "1")], [("fields", "name")], shared):
        query = parse_list_query(store.resource.query, params, prefer="", full_text=False)
        with request_scope():
            store.list_page({}, query, caller)
    assert len(store.statements) == 1


def test_the_statement_cache_keeps_the_most_recently_used_shapes() -> None:
    cache = StatementCache(size=2)
    cache.get("a", lambda: None)
    cache.get("b", lambda: None)
    cache.get("a", lambda: pytest.fail("'a' is cached"))  # 'a' is now the most recent
    cache.get("c", lambda: None)  # evicts 'b'
    compiled = []
    cache.get("b", lambda: compiled.append("b"))
    cache.get("a", lambda: compiled.append("a"))
    assert compiled == ["b", "a"] and len(cache) == 2


def test_the_statement_cache_is_consistent_under_threads() -> None:
    cache = StatementCache(size=8)
    errors: list[BaseException] = []

    def hammer(offset: int) -> None:
        try:
            for index in range(2000):
                cache.get((offset + index) % 13, lambda: None)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(cache) == 8


@pytest.mark.usefixtures("demo")
def test_a_reused_row_lock_loads_every_column_as_django_would(client: TestClient) -> None:
    """The lock query of a write is compiled once; the row it loads must be the instance
    Django would build (JSON, decimals, durations, times), or the save would corrupt it."""
    product = Product.objects.exclude(attributes={}).exclude(warranty=None).first()
    assert product is not None
    before = Product.objects.filter(pk=product.pk).values().get()
    for name in ("Renamed once", "Renamed twice"):
        response = client.patch(f"/api/products/{product.pk}", json={"name": name})
        assert response.status_code == 200, response.text
    after = Product.objects.filter(pk=product.pk).values().get()
    assert after.pop("name") == "Renamed twice"
    before.pop("name")
    assert after == before  # every other column exactly as it was
