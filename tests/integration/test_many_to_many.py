"""Many-to-many fields as sub-collections: list, link and unlink, within what the caller sees."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q
from fastapi.testclient import TestClient

from djgateway import Access, Gateway, JWTBearer, Resource
from djgateway.sandbox.catalog.models import Product, Tag

pytestmark = pytest.mark.usefixtures("demo")


def hammer() -> Product:
    return Product.objects.get(sku="HAM-001")


def test_list_the_linked_rows_with_the_target_query_surface(client: TestClient) -> None:
    url = f"/api/products/{hammer().pk}/tags"
    response = client.get(url, params={"order_by": "-name"})
    assert response.status_code == 200, response.text
    assert [t["name"] for t in response.json()["items"]] == ["sale", "eco"]
    assert [t["name"] for t in client.get(url, params={"name": "eco"}).json()["items"]] == ["eco"]
    assert client.get(url, params={"colour": "x"}).status_code == 400
    assert client.get("/api/products/999999/tags").status_code == 404


def test_link_and_unlink_one_row(client: TestClient) -> None:
    new = Tag.objects.get(name="new")
    url = f"/api/products/{hammer().pk}/tags/{new.pk}"
    assert client.put(url).status_code == 204
    assert client.put(url).status_code == 204  # linking twice is idempotent
    assert set(hammer().tags.values_list("name", flat=True)) == {"sale", "eco", "new"}
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 404  # no longer linked
    assert set(hammer().tags.values_list("name", flat=True)) == {"sale", "eco"}


def test_linking_an_unknown_row_is_404(client: TestClient) -> None:
    url = f"/api/products/{hammer().pk}/tags/00000000-0000-4000-8000-00000000ffff"
    assert client.put(url).status_code == 404
    assert client.put(f"/api/products/{hammer().pk}/tags/not-a-uuid").status_code == 422


TOKENS = JWTBearer(key="m2m-test-key-that-is-long-enough-1234", algorithms=["HS256"])


def visible_tags(access: Access) -> Q:
    return Q(name__in=access.claims.get("tags", []))


@pytest.fixture
def tagged(transactional_db: Any) -> Iterator[TestClient]:
    gateway = Gateway(
        apps=["catalog"],
        security=TOKENS,
        resources={"catalog.Tag": Resource(objects_filter=visible_tags)},
    )
    with TestClient(gateway.app()) as client:
        yield client


def headers(*tags: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS.mint({'tags': list(tags)})}"}


def test_rows_the_caller_cannot_see_are_neither_listed_nor_linked(tagged: TestClient) -> None:
    product = hammer()
    listed = tagged.get(f"/products/{product.pk}/tags", headers=headers("eco")).json()["items"]
    assert [t["name"] for t in listed] == ["eco"]
    new = Tag.objects.get(name="new")
    response = tagged.put(f"/products/{product.pk}/tags/{new.pk}", headers=headers("eco"))
    assert response.status_code == 404
    assert not product.tags.filter(name="new").exists()
    # the same holds for id lists in bodies
    body = {"tags": [str(new.pk)]}
    refused = tagged.patch(f"/products/{product.pk}", json=body, headers=headers("eco"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "tags"]
    allowed = tagged.patch(f"/products/{product.pk}", json=body, headers=headers("new"))
    assert allowed.status_code == 200
    assert list(product.tags.values_list("name", flat=True)) == ["new"]
