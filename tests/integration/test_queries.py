"""The query surface of list and aggregate routes, over HTTP on the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from djgateway.sandbox.business.models import (
    Company,
    CompanyDepartment,
    CompanyDepartmentTeam,
)
from djgateway.sandbox.catalog.models import Product
from tests.sql import SqlLog, capture_sql

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def sql() -> Iterator[SqlLog]:
    with capture_sql() as log:
        yield log


def items(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["items"]
    return result


def skus(client: TestClient, **params: Any) -> list[str]:
    return [item["sku"] for item in items(client, "/api/products", order_by="sku", **params)]


def bad_request(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert "Traceback" not in body["detail"]
    return body


def acme() -> Company:
    return Company.objects.get(name="Acme Corp")


# -- filter operators ------------------------------------------------------------------


def test_exact_filter(client: TestClient) -> None:
    assert skus(client, sku="DRL-002") == ["DRL-002"]


def test_in_filter_with_comma_list_and_repeated_parameter(client: TestClient) -> None:
    assert skus(client, sku__in="DRL-002,BK-004") == ["BK-004", "DRL-002"]
    response = client.get("/api/products?sku__in=DRL-002&sku__in=GFT-005&order_by=sku")
    assert [p["sku"] for p in response.json()["items"]] == ["DRL-002", "GFT-005"]


def test_numeric_comparisons(client: TestClient) -> None:
    assert skus(client, price__gt="19.99") == ["DRL-002", "WRK-003"]
    assert skus(client, price__gte="19.99") == ["DRL-002", "HAM-001", "WRK-003"]
    assert skus(client, price__lt="12") == ["GFT-005"]
    assert skus(client, price__lte="12", stock__gte=40) == ["BK-004"]


def test_date_comparisons_and_parts(client: TestClient) -> None:
    assert skus(client, release_date__gte="2020-01-01") == ["DRL-002", "HAM-001"]
    assert skus(client, release_date__year=2019) == ["BK-004"]
    assert skus(client, release_date__month=6) == ["DRL-002"]
    assert skus(client, release_date__day=15) == ["HAM-001"]


def test_datetime_date_part(client: TestClient) -> None:
    today = Product.objects.get(sku="HAM-001").created.date().isoformat()
    assert len(skus(client, created__date=today)) == 5
    assert skus(client, created__lt="2000-01-01T00:00:00Z") == []


def test_text_operators_are_case_insensitive(client: TestClient) -> None:
    assert skus(client, name__icontains="DRILL") == ["DRL-002"]
    assert skus(client, name__istartswith="the django") == ["BK-004"]


def test_isnull(client: TestClient) -> None:
    assert skus(client, category_id__isnull="true") == ["GFT-005"]
    assert skus(client, weight__isnull="false") == ["BK-004", "DRL-002", "HAM-001"]


def test_boolean_and_uuid_filters(client: TestClient) -> None:
    assert skus(client, in_stock="false") == ["WRK-003"]
    assert skus(client, public_id="00000000-0000-4000-8000-0000000000b4") == ["BK-004"]


def test_choice_filter(client: TestClient) -> None:
    url = f"/api/companies/{acme().pk}/employees"
    assert [e["type"] for e in items(client, url, type__in="owner,admin")] == ["owner", "admin"]


def test_foreign_key_id_filter(client: TestClient) -> None:
    tools = Product.objects.get(sku="HAM-001").category_id
    assert skus(client, category_id__in=str(tools)) == ["DRL-002", "HAM-001"]


def test_filter_on_exposed_field_of_related_resource(client: TestClient) -> None:
    assert skus(client, category__name="Books") == ["BK-004"]
    assert skus(client, category__slug__istartswith="hard") == ["WRK-003"]


def test_negation_with_bang_prefix(client: TestClient) -> None:
    assert skus(client, **{"!sku__in": "HAM-001,DRL-002"}) == ["BK-004", "GFT-005", "WRK-003"]
    assert skus(client, **{"!in_stock": "true"}) == ["WRK-003"]


def test_negation_never_escapes_the_parent_chain(client: TestClient) -> None:
    url = f"/api/companies/{acme().pk}/departments"
    names = [d["name"] for d in items(client, url, **{"!name": "Sales"})]
    assert names == ["Engineering", "Finance"]


# -- ordering --------------------------------------------------------------------------


def test_ordering_on_several_fields(client: TestClient) -> None:
    ordered = items(client, "/api/products", order_by="-in_stock,-price")
    assert [p["sku"] for p in ordered] == ["DRL-002", "HAM-001", "BK-004", "GFT-005", "WRK-003"]


def test_ordering_on_related_field_and_child_count(client: TestClient) -> None:
    by_category = items(client, "/api/products", order_by="category__name,sku", fields="sku")
    assert [p["sku"] for p in by_category] == ["BK-004", "WRK-003", "DRL-002", "HAM-001", "GFT-005"]
    by_reviews = items(client, "/api/products", order_by="-reviews__count,sku", fields="sku")
    assert [p["sku"] for p in by_reviews][:2] == ["HAM-001", "BK-004"]


def test_ties_are_broken_by_primary_key(client: TestClient) -> None:
    department = CompanyDepartment.objects.get(company=acme(), name="Engineering")
    CompanyDepartmentTeam.objects.bulk_create(
        CompanyDepartmentTeam(department=department, name=f"Tie {n}", headcount=1) for n in range(5)
    )
    url = f"/api/companies/{acme().pk}/departments/{department.pk}/teams"
    ids = [t["id"] for t in items(client, url, order_by="headcount", headcount=1)]
    assert ids == sorted(ids)


# -- pagination ------------------------------------------------------------------------


def test_limit_and_offset(client: TestClient) -> None:
    first = items(client, "/api/products", order_by="sku", limit=2)
    second = items(client, "/api/products", order_by="sku", limit=2, offset=2)
    assert [p["sku"] for p in first + second] == ["BK-004", "DRL-002", "GFT-005", "HAM-001"]


def test_cursor_pagination_survives_inserts_and_ties(client: TestClient) -> None:
    company = acme()
    department = CompanyDepartment.objects.get(company=company, name="Engineering")
    CompanyDepartmentTeam.objects.bulk_create(
        CompanyDepartmentTeam(department=department, name=f"Squad {n:02}", headcount=n % 3)
        for n in range(20)
    )
    url = f"/api/companies/{company.pk}/departments/{department.pk}/teams"
    seen: list[int] = []
    cursor = None
    for page_number in range(20):
        params: dict[str, Any] = {"order_by": "-headcount", "limit": 4}
        if cursor:
            params["cursor"] = cursor
        response = client.get(url, params=params).json()
        seen.extend(team["id"] for team in response["items"])
        if page_number == 1:  # rows inserted before and after the current position
            CompanyDepartmentTeam.objects.create(department=department, name="New", headcount=99)
            CompanyDepartmentTeam.objects.create(department=department, name="Low", headcount=-0)
        cursor = response["next_cursor"]
        if cursor is None:
            break
    expected = set(department.teams.exclude(name="New").values_list("pk", flat=True))
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


def test_cursor_for_another_ordering_or_forged_is_400(client: TestClient) -> None:
    page = client.get("/api/products", params={"order_by": "sku", "limit": 1}).json()
    body = bad_request(client, "/api/products", order_by="-sku", cursor=page["next_cursor"])
    assert "another order_by" in body["detail"]
    bad_request(client, "/api/products", order_by="sku", cursor=page["next_cursor"] + "x")
    bad_request(client, "/api/products", cursor="eyJvIjpbInBrIl0sInYiOlsxXX0")


def test_cursor_and_offset_together_are_400(client: TestClient) -> None:
    page = client.get("/api/products", params={"limit": 1}).json()
    bad_request(client, "/api/products", cursor=page["next_cursor"], offset=1)


def test_last_page_has_no_cursor(client: TestClient) -> None:
    page = client.get("/api/products", params={"limit": 5}).json()
    assert page["next_cursor"] is None
    assert len(page["items"]) == 5


# -- counts and field selection --------------------------------------------------------


def test_count_only_when_asked(client: TestClient, sql: SqlLog) -> None:
    assert "count" not in client.get("/api/products", params={"limit": 1}).json()
    sql.clear()
    assert client.get("/api/products", params={"limit": 1, "count": "exact"}).json()["count"] == 5
    assert any("COUNT(" in statement.upper() for statement in sql.statements)
    prefer = client.get("/api/products?in_stock=true", headers={"Prefer": "count=exact"})
    assert prefer.json()["count"] == 4


def test_field_selection_returns_and_fetches_only_those_fields(
    client: TestClient, sql: SqlLog
) -> None:
    sql.clear()
    selected = items(client, "/api/products", fields="id,sku", order_by="sku", limit=2)
    (statement,) = sql.statements
    assert selected == [
        {"id": Product.objects.get(sku="BK-004").pk, "sku": "BK-004"},
        {"id": Product.objects.get(sku="DRL-002").pk, "sku": "DRL-002"},
    ]
    assert '"description"' not in statement
    assert '"sku"' in statement


def test_field_selection_with_many_to_many(client: TestClient) -> None:
    (hammer,) = items(client, "/api/products", fields="sku,tags", sku="HAM-001")
    assert set(hammer) == {"sku", "tags"}
    assert len(hammer["tags"]) == 2


# -- search ----------------------------------------------------------------------------


def test_search_over_configured_fields(client: TestClient) -> None:
    assert skus(client, search="hammer") == ["HAM-001"]
    assert skus(client, search="web framework") == ["BK-004"]
    # "^sku" is a prefix search: a substring of a SKU does not match
    assert skus(client, search="HAM") == ["HAM-001"]
    assert skus(client, search="001") == []


def test_search_is_400_where_not_configured(client: TestClient) -> None:
    bad_request(client, "/api/tags", search="x")


# -- aggregation -----------------------------------------------------------------------


def aggregate(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_aggregate_without_groups(client: TestClient) -> None:
    assert aggregate(client, "/api/products:aggregate/sum/price")["value"] == "370.49"
    assert aggregate(client, "/api/products:aggregate/count/id", in_stock="true")["value"] == 4
    assert aggregate(client, "/api/products:aggregate/max/release_date")["value"] == "2022-06-01"


def test_aggregate_grouped_by_choice_and_foreign_key(client: TestClient) -> None:
    company = acme()
    url = f"/api/companies/{company.pk}/employees:aggregate/count/id"
    result = aggregate(client, url, group_by="type")
    assert result["groups"] == [
        {"key": {"type": "admin"}, "value": 1},
        {"key": {"type": "member"}, "value": 1},
        {"key": {"type": "owner"}, "value": 1},
    ]
    engineering = CompanyDepartment.objects.get(company=company, name="Engineering")
    teams = f"/api/companies/{company.pk}/departments/{engineering.pk}/teams"
    summed = aggregate(client, f"{teams}:aggregate/sum/headcount", group_by="department_id")
    assert summed["groups"] == [{"key": {"department_id": engineering.pk}, "value": 17}]


def test_aggregate_grouped_by_date_part_behind_filters(client: TestClient) -> None:
    result = aggregate(
        client, "/api/products:aggregate/count/id", group_by="release_date__year", in_stock="true"
    )
    assert result["groups"] == [
        {"key": {"release_date__year": None}, "value": 1},
        {"key": {"release_date__year": 2019}, "value": 1},
        {"key": {"release_date__year": 2020}, "value": 1},
        {"key": {"release_date__year": 2022}, "value": 1},
    ]
    assert result["truncated"] is False


def test_aggregate_caps_the_number_of_groups(client: TestClient) -> None:
    from djgateway import Gateway, Resource

    gateway = Gateway(apps=["catalog"], resources={"catalog.Product": Resource(max_groups=2)})
    with TestClient(gateway.app(prefix="/api")) as capped:
        result = capped.get("/api/products:aggregate/count/id", params={"group_by": "position"})
    # position is not groupable by default (not a choice / FK / date): 400
    assert result.status_code == 400
    with TestClient(gateway.app(prefix="/api")) as capped:
        result = capped.get(
            "/api/products:aggregate/count/id", params={"group_by": "release_date__year"}
        )
    assert result.status_code == 200
    assert len(result.json()["groups"]) == 2
    assert result.json()["truncated"] is True


def test_aggregate_function_must_fit_the_field(client: TestClient) -> None:
    assert client.get("/api/products:aggregate/sum/release_date").status_code == 404
    assert client.get("/api/products:aggregate/median/price").status_code == 422
    assert client.get("/api/products:aggregate/sum/sku").status_code == 422


# -- rejections and injection attempts -------------------------------------------------


def test_unknown_parameter_is_400_listing_the_allowed_names(client: TestClient) -> None:
    body = bad_request(client, "/api/products", colour="red")
    assert "Unknown query parameter 'colour'" in body["detail"]
    assert "order_by" in body["detail"] and "price__gte" in body["detail"]
    assert body["errors"] == [
        {"loc": ["query", "colour"], "message": "unknown parameter", "code": "unknown_parameter"}
    ]


@pytest.mark.parametrize(
    "name",
    [
        "api_token",  # sensitive
        "api_token__startswith",
        "company__internal_notes",  # excluded on the related resource
        "company__departments__name",  # traverses a to-many relation
        "company__employees__api_token__startswith",  # the classic leak oracle
        "_connector",
        "_negated",
        "pk__in",
        "id__regex",
        "user_id__regex",
    ],
)
def test_names_outside_the_allow_list_are_400(client: TestClient, name: str) -> None:
    url = f"/api/companies/{acme().pk}/employees"
    body = bad_request(client, url, **{name: "x"})
    assert body["errors"][0]["loc"] == ["query", name]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("order_by", "api_token"),
        ("order_by", "company__internal_notes"),
        ("order_by", "?"),
        ("fields", "api_token"),
        ("fields", "id,__dict__"),
        ("limit", "0"),
        ("limit", "1001"),
        ("limit", "ten"),
        ("offset", "-1"),
        ("count", "estimated"),
        ("company_id", str(2**64)),
        ("id__in", ",".join(str(n) for n in range(101))),
        ("id", "1.5"),
        ("type", "superuser"),
    ],
)
def test_bad_values_are_400(client: TestClient, parameter: str, value: str) -> None:
    body = bad_request(client, f"/api/companies/{acme().pk}/employees", **{parameter: value})
    assert body["errors"][0]["loc"] == ["query", parameter]


def test_group_by_outside_the_allow_list_is_400(client: TestClient) -> None:
    url = f"/api/companies/{acme().pk}/employees:aggregate/count/id"
    for group_by in ("api_token", "user_id", "company__name", "type,type"):
        bad_request(client, url, group_by=group_by)


def test_exposed_field_of_related_resource_is_allowed_and_typed(client: TestClient) -> None:
    url = f"/api/companies/{acme().pk}/employees"
    assert len(items(client, url, company__founded__isnull="false")) == 3
    body = bad_request(client, url, company__founded__isnull="maybe")
    assert "boolean" in body["detail"]


def test_path_id_beyond_64_bits_is_rejected(client: TestClient) -> None:
    assert client.get(f"/api/companies/{2**64}").status_code == 422


# -- SQL statement counts --------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_query_count_does_not_grow_with_page_size(
    client: TestClient, sql: SqlLog, limit: int
) -> None:
    sql.clear()
    assert len(items(client, "/api/products", limit=limit)) == limit
    assert len(sql) == 2  # the page, the tags of the whole page


def test_query_count_does_not_grow_with_depth(client: TestClient, sql: SqlLog) -> None:
    company = acme()
    engineering = CompanyDepartment.objects.get(company=company, name="Engineering")
    urls = [
        "/api/companies",
        f"/api/companies/{company.pk}/departments",
        f"/api/companies/{company.pk}/departments/{engineering.pk}/teams",
    ]
    counts = []
    for url in urls:
        sql.clear()
        items(client, url, order_by="name")
        counts.append(len(sql))
    # One statement at every depth: rows found under the path prove the parents exist.
    assert counts == [1, 1, 1]


def test_an_empty_nested_page_checks_its_parent(client: TestClient, sql: SqlLog) -> None:
    company = acme()
    department = CompanyDepartment.objects.create(company=company, name="Empty")
    url = f"/api/companies/{company.pk}/departments/{department.pk}/teams"
    sql.clear()
    assert items(client, url) == []
    assert len(sql) == 2  # the (empty) page, then: is the department there at all?
    other = CompanyDepartment.objects.exclude(company=company).first()
    assert other is not None
    wrong_parent = f"/api/companies/{company.pk}/departments/{other.pk}/teams"
    assert client.get(wrong_parent).status_code == 404


def test_retrieve_is_one_query(client: TestClient, sql: SqlLog) -> None:
    team = CompanyDepartmentTeam.objects.get(name="Platform")
    url = f"/api/companies/{acme().pk}/departments/{team.department_id}/teams/{team.pk}"
    sql.clear()
    assert client.get(url).status_code == 200
    assert len(sql) == 1


def test_aggregates_cannot_be_shadowed_by_an_item_id(client: TestClient) -> None:
    # A string key may be any word: the collection-level route sits beside the collection
    # (`/warehouses:aggregate/...`), never where an item id could be.
    created = client.post("/api/warehouses", json={"code": "aggregate", "city": "Lyon"})
    assert created.status_code == 201, created.text
    assert client.get("/api/warehouses/aggregate").json()["city"] == "Lyon"
    counted = aggregate(client, "/api/warehouses:aggregate/count/code", city="Lyon")
    assert counted["value"] == 1
    assert client.get("/api/warehouses/aggregate/count/code").status_code == 404
