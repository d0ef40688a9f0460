"""Names a client sends on list and aggregate routes, where Django's names and the query
string's could clash: counted children without a related_name, fields named like a query
parameter; and the problem+json body of paths no route serves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from djgateway import Gateway, Resource, install_problem_handlers
from djgateway.plan.query_surface import RESERVED_PARAMETERS
from tests.problems import assert_problem
from tests.testapp.models import Book, Gauge, Library, Page, Shelf

UNRELATED = ("testapp.Alpha", "testapp.Beta", "testapp.Node", "testapp.Tag")


def gateway_of(**resources: Resource) -> Gateway:
    hidden = {label: Resource(expose=False) for label in UNRELATED}
    return Gateway(apps=["testapp"], resources={**hidden, **resources})


@pytest.fixture
def testapp(transactional_db: Any) -> Iterator[TestClient]:
    with TestClient(gateway_of().app()) as client:
        yield client


def items(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["items"]
    return result


def query_parameters(client: TestClient, path: str) -> dict[str, dict[str, Any]]:
    """The query parameters of ``GET path`` in the OpenAPI document, by name."""
    operation = client.get("/openapi.json").json()["paths"][path]["get"]
    return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}


# -- counted children without a related_name -----------------------------------------------


@pytest.fixture
def shelf(transactional_db: Any) -> Shelf:
    """Books with 2, 0 and 1 pages; ``Page.book`` has no related_name (``page_set``)."""
    shelf = Shelf.objects.create(library=Library.objects.create(name="City"), label="A")
    for title, pages in (("Two", 2), ("None", 0), ("One", 1)):
        book = Book.objects.create(shelf=shelf, title=title)
        Page.objects.bulk_create(Page(book=book, number=n + 1) for n in range(pages))
    return shelf


def books_url(shelf: Shelf) -> str:
    return f"/libraries/{shelf.library_id}/shelves/{shelf.pk}/books"


def titles(client: TestClient, url: str, **params: Any) -> list[str]:
    return [book["title"] for book in items(client, url, **params)]


def test_children_are_counted_through_a_default_accessor(testapp: TestClient, shelf: Shelf) -> None:
    url = books_url(shelf)
    assert titles(testapp, url, order_by="-page_set__count") == ["Two", "One", "None"]
    assert titles(testapp, url, order_by="page_set__count") == ["None", "One", "Two"]
    books = query_parameters(testapp, "/libraries/{library_id}/shelves/{shelf_id}/books")
    assert "page_set__count" in books["order_by"]["schema"]["items"]["enum"]


def test_cursor_pages_ordered_by_a_default_accessor_count(
    testapp: TestClient, shelf: Shelf
) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"order_by": "-page_set__count", "limit": 1}
    for _ in range(4):
        body = testapp.get(books_url(shelf), params=params).json()
        seen.extend(book["title"] for book in body["items"])
        if not body.get("next_cursor"):
            break
        params["cursor"] = body["next_cursor"]
    assert seen == ["Two", "One", "None"]


def test_a_count_of_row_filtered_children_is_refused(transactional_db: Any, shelf: Shelf) -> None:
    gateway = gateway_of(**{"testapp.Page": Resource(objects_filter=lambda access: None)})
    with TestClient(gateway.app()) as client:
        response = client.get(books_url(shelf), params={"order_by": "page_set__count"})
        assert "cannot order by 'page_set__count'" in assert_problem(response, 400)["detail"]
        assert "page_set__count" not in str(client.get("/openapi.json").json())


def test_soft_deleted_children_are_not_counted(transactional_db: Any, shelf: Shelf) -> None:
    Page.objects.filter(book__title="Two").update(number=0)  # both pages marked deleted
    gateway = gateway_of(**{"testapp.Page": Resource(delete_status=("number", 0))})
    with TestClient(gateway.app()) as client:
        url = books_url(shelf)
        assert titles(client, url, order_by="-page_set__count,title") == ["One", "None", "Two"]


def test_content_types_order_by_their_permission_count(transactional_db: Any) -> None:
    """Django's own apps: ``Permission.content_type`` has no related_name either."""
    with TestClient(Gateway(apps=["contenttypes", "auth"]).app()) as client:
        ordered = items(client, "/content-types", order_by="-permission_set__count", limit=1000)
    assert ordered, "the flush recreates the content types"
    counts = {ct.pk: ct.permission_set.count() for ct in ContentType.objects.all()}
    in_order = [counts[row["id"]] for row in ordered]
    assert in_order == sorted(in_order, reverse=True)


# -- fields named like a query parameter --------------------------------------------------


@pytest.fixture
def gauges(transactional_db: Any) -> None:
    Gauge.objects.create(name="a", count=3, limit=None, offset=1, search="x", group_by=True)
    Gauge.objects.create(name="b", count=1, limit=10, offset=0, cursor="c1", fields="f")
    Gauge.objects.create(name="c", count=2, limit=10, order_by="o", search="x", group_by=True)


def names(client: TestClient, **params: Any) -> list[str]:
    return [g["name"] for g in items(client, "/gauges", order_by="name", **params)]


def test_every_parameter_name_is_documented_once(testapp: TestClient) -> None:
    document = testapp.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            keys = [(p["name"], p["in"]) for p in operation.get("parameters", ())]
            assert len(keys) == len(set(keys)), (method, path, keys)
    listed = query_parameters(testapp, "/gauges")
    assert {f"{name}__exact" for name in RESERVED_PARAMETERS} <= set(listed)
    assert {"limit__isnull", "count__gte", "count", "limit", "order_by"} <= set(listed)
    aggregate = query_parameters(testapp, "/gauges:aggregate/{function}/{field}")
    assert {"group_by", "group_by__exact", "count__exact"} <= set(aggregate)


def test_renamed_filters_say_which_field_they_filter(testapp: TestClient) -> None:
    listed = query_parameters(testapp, "/gauges")
    assert "`count`" in listed["count__exact"]["description"]
    assert listed["count"]["description"] == "Include the total count."
    assert "description" not in listed["name"]


def test_fields_named_like_parameters_are_filtered_through_the_exact_name(
    testapp: TestClient, gauges: None
) -> None:
    assert names(testapp, count__exact=3) == ["a"]
    assert names(testapp, **{"!count__exact": 3}) == ["b", "c"]
    assert names(testapp, count__gte=2) == ["a", "c"]
    assert names(testapp, limit__exact=10, offset__exact=0) == ["b", "c"]
    assert names(testapp, limit__isnull="true") == ["a"]
    assert names(testapp, cursor__exact="c1") == ["b"]
    assert names(testapp, order_by__exact="o") == ["c"]
    assert names(testapp, fields__exact="f") == ["b"]
    assert names(testapp, search__exact="x") == ["a", "c"]
    assert names(testapp, group_by__exact="true") == ["a", "c"]


def test_the_reserved_names_keep_their_own_meaning(testapp: TestClient, gauges: None) -> None:
    body = testapp.get("/gauges", params={"count": "exact", "limit": 1, "order_by": "name"})
    assert body.status_code == 200, body.text
    assert body.json()["count"] == 3
    assert [g["name"] for g in body.json()["items"]] == ["a"]
    assert names(testapp, fields="name") == ["a", "b", "c"]
    problem = assert_problem(testapp.get("/gauges", params={"count": "3"}), 400)
    assert problem["errors"][0]["loc"] == ["query", "count"]
    # with no search fields, ``search`` is no name at all: never read as the field's filter
    assert_problem(testapp.get("/gauges", params={"search": "x"}), 400)
    assert_problem(testapp.get("/gauges", params={"!count": "3"}), 400)


def test_search_and_the_search_field_side_by_side(transactional_db: Any, gauges: None) -> None:
    gateway = gateway_of(**{"testapp.Gauge": Resource(search_fields=["name"])})
    with TestClient(gateway.app()) as client:
        assert names(client, search="b") == ["b"]
        assert names(client, search__exact="x") == ["a", "c"]
        assert names(client, search="a", search__exact="x") == ["a"]


def test_ordering_by_fields_named_like_parameters(testapp: TestClient, gauges: None) -> None:
    by_count = items(testapp, "/gauges", order_by="count")
    assert [g["name"] for g in by_count] == ["b", "c", "a"]
    # NULLs first descending
    assert [g["name"] for g in items(testapp, "/gauges", order_by="-limit,name")] == ["a", "b", "c"]
    first = testapp.get("/gauges", params={"order_by": "-count", "limit": 2}).json()
    after = {"order_by": "-count", "limit": 2, "cursor": first["next_cursor"]}
    rest = items(testapp, "/gauges", **after)
    assert [g["name"] for g in first["items"] + rest] == ["a", "c", "b"]


def test_aggregates_filter_and_group_by_fields_named_like_parameters(
    testapp: TestClient, gauges: None
) -> None:
    url = "/gauges:aggregate/sum/count"
    total = testapp.get(url, params={"offset__exact": 0})
    assert total.status_code == 200, total.text
    assert total.json()["value"] == 3
    grouped = testapp.get(url, params={"group_by": "group_by", "group_by__exact": "true"})
    assert grouped.status_code == 200, grouped.text
    assert grouped.json()["groups"] == [{"key": {"group_by": True}, "value": 5}]


def test_the_plan_warns_about_each_renamed_filter() -> None:
    warnings = gateway_of().plan.get("testapp.Gauge").query.warnings
    renamed = {w.split("'")[3] for w in warnings}
    assert renamed == {f"{name}__exact" for name in RESERVED_PARAMETERS}
    assert all(w.startswith("testapp.Gauge: ") for w in warnings)
    assert gateway_of().plan.get("libraries").query.warnings == ()


# -- problem+json beyond the routes --------------------------------------------------------


def test_an_unknown_path_is_a_problem(testapp: TestClient) -> None:
    body = assert_problem(testapp.get("/no-such-thing"), 404)
    assert body["title"] == "Not Found"
    assert_problem(testapp.post("/libraries/1/nowhere", json={}), 404)


def test_an_unknown_path_outside_the_prefix_is_a_problem(transactional_db: Any) -> None:
    with TestClient(gateway_of().app(prefix="/api")) as client:
        assert_problem(client.get("/libraries"), 404)
        assert client.get("/api/libraries").status_code == 200
        assert client.get("/openapi.json").status_code == 200


def test_install_problem_handlers_on_an_application_of_ones_own(transactional_db: Any) -> None:
    app = FastAPI()
    app.include_router(gateway_of().router, prefix="/api")

    @app.get("/busy")
    def busy() -> None:
        raise HTTPException(429, "Slow down.", headers={"Retry-After": "1"})

    @app.get("/square")
    def square(number: int) -> int:
        return number * number

    install_problem_handlers(app)
    with TestClient(app) as client:
        assert_problem(client.get("/api/nowhere"), 404)
        busy_body = assert_problem(client.get("/busy"), 429)
        assert (busy_body["title"], busy_body["detail"]) == ("Too Many Requests", "Slow down.")
        assert client.get("/busy").headers["retry-after"] == "1"
        invalid = assert_problem(client.get("/square", params={"number": "x"}), 422)
        assert invalid["errors"][0]["loc"] == ["query", "number"]
        assert client.get("/square", params={"number": 3}).json() == 9
        assert_problem(client.delete("/api/libraries"), 405)
