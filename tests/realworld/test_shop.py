"""The third-party fields and model kinds of ``shop``, over HTTP, without overrides."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from djgateway import Gateway

from .gateways import SHOP, shop_app
from .support import created, problem

pytestmark = pytest.mark.usefixtures("rw_db")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(shop_app()) as test_client:
        yield test_client


def publisher(client: TestClient, **values: Any) -> dict[str, Any]:
    body = {"name": "Folio", "country": "DE", **values}
    return created(client.post("/publishers", json=body))


def test_taggit_tags_are_a_list_of_names(client: TestClient) -> None:
    from tests.realworld.shop.models import Publisher

    folio = publisher(client, tags=["poetry", "essays"])
    publisher(client, name="Other", tags=["poetry"])

    assert folio["tags"] == ["essays", "poetry"]
    listed = client.get("/publishers").json()["items"]
    assert [p["name"] for p in listed] == ["Folio", "Other"]  # one row per publisher
    assert listed[0]["tags"] == ["essays", "poetry"]
    changed = client.patch(f"/publishers/{folio['id']}", json={"tags": ["drama"]})
    assert changed.json()["tags"] == ["drama"]
    assert sorted(Publisher.objects.get(pk=folio["id"]).tags.names()) == ["drama"]
    problem(client.post("/publishers", json={"name": "X", "country": "DE", "tags": 1}), 422)


def test_countries_single_and_multiple(client: TestClient) -> None:
    from tests.realworld.shop.models import Publisher

    folio = publisher(client, markets="FR,IT")

    assert (folio["country"], folio["markets"]) == ("DE", "FR,IT")
    stored = Publisher.objects.get(pk=folio["id"])
    assert [c.code for c in stored.markets] == ["FR", "IT"]
    problem(client.post("/publishers", json={"name": "X", "country": "XX"}), 422)
    problem(client.post("/publishers", json={"name": "X", "country": "DE", "markets": "ZZ"}), 422)


def test_a_book_is_a_product_written_in_both_tables(client: TestClient) -> None:
    from tests.realworld.shop.models import Book, Product

    folio = publisher(client)
    body = {
        "title": "Odes",
        "price": "12.50",
        "price_currency": "USD",
        "isbn": "1",
        "note": "-",
        "discount_currency": "EUR",
    }
    book = created(client.post(f"/publishers/{folio['id']}/books", json=body))

    assert book["id"] == book["product_ptr_id"]
    assert (book["price"], book["price_currency"]) == ("12.50", "USD")
    stored = Book.objects.get(pk=book["id"])
    assert str(stored.price.currency) == "USD"
    product = client.get(f"/products/{book['id']}").json()
    assert product["title"] == "Odes"

    # The parent pointer is never a client's: naming an existing product cannot overwrite it.
    other = created(
        client.post(
            "/products",
            json={"title": "Mug", "price": "3.00", "note": "-", "discount_currency": "EUR"},
        )
    )
    sneaky = {**body, "isbn": "2", "product_ptr_id": other["id"]}
    problem(client.post(f"/publishers/{folio['id']}/books", json=sneaky), 422)
    assert Product.objects.get(pk=other["id"]).title == "Mug"
    # and the next plain insert still gets a fresh key
    created(
        client.post(
            "/products",
            json={"title": "Cup", "price": "2.00", "note": "-", "discount_currency": "EUR"},
        )
    )

    assert client.delete(f"/publishers/{folio['id']}/books/{book['id']}").status_code == 204
    assert not Product.objects.filter(pk=book["id"]).exists()


def test_deleting_a_parent_product_deletes_the_book(client: TestClient) -> None:
    from tests.realworld.shop.models import Book

    folio = publisher(client)
    body = {"title": "Odes", "price": "1.00", "isbn": "1", "note": "-", "discount_currency": "EUR"}
    book = created(client.post(f"/publishers/{folio['id']}/books", json=body))

    assert client.delete(f"/products/{book['id']}").status_code == 204
    assert not Book.objects.exists()


def test_money_currency_is_writable_and_required_without_a_default(client: TestClient) -> None:
    mug = created(
        client.post(
            "/products",
            json={
                "title": "Mug",
                "price": "3.00",
                "discount": "1.00",
                "discount_currency": "CHF",
                "note": "-",
            },
        )
    )
    assert (mug["discount"], mug["discount_currency"]) == ("1.00", "CHF")
    assert mug["price_currency"] == "EUR"  # the field's default currency

    failed = problem(
        client.post("/products", json={"title": "Mug", "price": "3", "discount": "1", "note": "-"}),
        422,
    )
    # no default currency for the discount: the schema requires it (no "Missing currency")
    assert [e["loc"] for e in failed["errors"]] == [["body", "discount_currency"]]
    spec = client.get("/openapi.json").json()
    assert "discount_currency" in spec["components"]["schemas"]["ProductCreate"]["required"]


def test_null_without_blank_is_required_like_full_clean_says(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    create = spec["components"]["schemas"]["ProductCreate"]

    assert "note" in create["required"]
    problem(client.post("/products", json={"title": "Mug", "price": "3.00", "note": None}), 422)


def test_clean_following_an_unknown_key_is_a_422(client: TestClient) -> None:
    body = {
        "title": "Mug",
        "price": "3.00",
        "note": "-",
        "discount_currency": "EUR",
        "category_id": 999,
    }
    failed = problem(client.post("/products", json=body), 422)

    assert ["body", "category_id"] in [e["loc"] for e in failed["errors"]]


def test_polymorphic_parents_list_and_delete_cleanly(client: TestClient) -> None:
    from tests.realworld.shop.models import Album, Media

    album = created(client.post("/albums", json={"title": "Blue", "artist": "Joni"}))
    film = created(client.post("/films", json={"title": "Heat", "director": "Mann"}))

    listed = client.get("/medias?order_by=title").json()["items"]
    assert [m["title"] for m in listed] == ["Blue", "Heat"]
    assert client.delete(f"/medias/{album['id']}").status_code == 204
    assert not Album.objects.exists()
    assert list(Media.objects.values_list("pk", flat=True)) == [film["id"]]


def test_a_custom_through_model_with_defaults_is_writable(client: TestClient) -> None:
    from tests.realworld.shop.models import Authorship

    folio = publisher(client)
    body = {"title": "Odes", "price": "1.00", "isbn": "1", "note": "-", "discount_currency": "EUR"}
    book = created(client.post(f"/publishers/{folio['id']}/books", json=body))
    author = created(client.post("/authors", json={"name": "Sappho", "books": [book["id"]]}))

    assert author["books"] == [book["id"]]
    assert Authorship.objects.get().role == "author"


def test_treebeard_nodes_get_their_tree_columns_from_treebeard(client: TestClient) -> None:
    from tests.realworld.shop.models import Category

    spec = client.get("/openapi.json").json()
    assert set(spec["components"]["schemas"]["CategoryCreate"]["properties"]) == {"name"}

    root = created(client.post("/categorys", json={"name": "Books"}))
    assert (root["depth"], root["numchild"]) == (1, 0)
    assert len(Category.get_root_nodes()) == 1


def test_deleting_a_tree_node_deletes_its_descendants(rw_db: None) -> None:
    from tests.realworld.shop.models import Category

    books = Category.add_root(name="Books")
    poetry = books.add_child(name="Poetry")
    poetry.add_child(name="Odes")
    Category.add_root(name="Music")
    with TestClient(Gateway(SHOP).app()) as client:
        assert client.delete(f"/categorys/{books.pk}").status_code == 204
        names = [c["name"] for c in client.get("/categorys").json()["items"]]

    assert names == ["Music"]
    assert Category.objects.get(name="Music").numchild == 0


def test_a_save_hook_creates_rows_through_a_method(rw_db: None) -> None:
    # the README's example, run as written
    from tests.readme import README, named_file
    from tests.realworld.shop.models import Category

    root = Category.add_root(name="Books")
    namespace: dict[str, Any] = {}
    exec(compile(named_file("shop_api.py"), str(README), "exec"), namespace)
    with TestClient(namespace["shop"].app()) as client:
        child = created(client.post("/categorys", json={"name": "Poetry"}))

    assert child["depth"] == 2
    assert Category.objects.get(pk=root.pk).numchild == 1
    assert [c.name for c in Category.objects.get(pk=root.pk).get_children()] == ["Poetry"]


def test_fast_paths_answer_byte_for_byte_what_the_orm_path_answers(rw_db: None) -> None:
    fast = Gateway(SHOP).app()
    slow = Gateway(SHOP, fast_paths=False).app()
    with TestClient(fast) as client, TestClient(slow) as reference:
        folio = publisher(client, markets="FR,IT", tags=["b", "a"])
        body = {
            "title": "Odes",
            "price": "12.50",
            "isbn": "1",
            "note": "-",
            "discount_currency": "EUR",
        }
        created(client.post(f"/publishers/{folio['id']}/books", json=body))
        created(
            client.post(
                "/products",
                json={"title": "Mug", "price": "3", "note": "-", "discount_currency": "EUR"},
            )
        )
        created(client.post("/albums", json={"title": "Blue", "artist": "Joni"}))
        created(client.post("/categorys", json={"name": "Books"}))
        spec = client.get("/openapi.json").json()
        compared = 0
        for path in spec["paths"]:
            if "{" in path or "aggregate" in path:
                continue
            listed = client.get(path)
            assert listed.content == reference.get(path).content, path
            for item in listed.json()["items"]:
                key = next(iter(item))
                one = f"{path}/{item[key]}"
                answer = client.get(one)
                assert answer.status_code == 200, one
                assert answer.content == reference.get(one).content, one
                assert answer.headers["etag"] == reference.get(one).headers["etag"], one
                compared += 1
    assert compared >= 8


def test_rules_of_a_model_clean_come_with_the_code_model_rule(client: TestClient) -> None:
    over = problem(client.post("/vouchers", json={"code": "A", "count": 5, "limit": 1}), 422)
    reserved = problem(client.post("/vouchers", json={"code": "X"}), 422)

    assert over["errors"] == [
        {"loc": ["body", "count"], "message": "count exceeds limit", "code": "model_rule"}
    ]
    assert [e["code"] for e in reserved["errors"]] == ["model_rule"]


def test_a_patch_answers_for_what_it_sets_not_for_stored_values(client: TestClient) -> None:
    from tests.realworld.shop.models import Publisher

    folio = publisher(client)
    Publisher.objects.filter(pk=folio["id"]).update(country="XX")  # bypasses validation

    renamed = client.patch(f"/publishers/{folio['id']}", json={"name": "Quarto"})
    replaced = client.put(f"/publishers/{folio['id']}", json={"name": "Q", "country": "XX"})

    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Quarto"
    assert replaced.status_code == 422  # a PUT sets every field: it answers for them all
