"""django-oscar 4 (every app of its documented INSTALLED_APPS) over HTTP, without overrides."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .gateways import oscar_app
from .support import created, orderings_answered

pytestmark = pytest.mark.usefixtures("rw_db")


@pytest.fixture(scope="module")
def app() -> Any:
    return oscar_app()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_a_catalogue_is_built_over_http(client: TestClient) -> None:
    from oscar.apps.catalogue.models import Category, Product
    from oscar.apps.partner.models import StockRecord

    shirts = created(client.post("/product-classes", json={"name": "Shirts"}))
    clothing = created(client.post("/categories", json={"name": "Clothing", "slug": "clothing"}))
    shirt = created(
        client.post(
            "/products",
            json={
                "title": "Oxford shirt",
                "slug": "oxford-shirt",
                "structure": "standalone",
                "product_class_id": shirts["id"],
                "categories": [clothing["id"]],
            },
        )
    )
    partner = created(client.post("/fulfillment-partners", json={"name": "Warehouse"}))
    stock = created(
        client.post(
            "/stock-records",
            json={
                "product_id": shirt["id"],
                "partner_id": partner["id"],
                "partner_sku": "OX-1",
                "price": "39.90",
                "num_in_stock": 12,
            },
        )
    )

    assert Category.objects.get(pk=clothing["id"]).depth == 1  # treebeard's add_root
    assert shirt["categories"] == [clothing["id"]]
    assert Product.objects.get(pk=shirt["id"]).product_class_id == shirts["id"]
    record = StockRecord.objects.get(pk=stock["id"])
    assert (str(record.price), record.num_in_stock) == ("39.90", 12)

    listed = client.get("/stock-records", params={"partner_id": partner["id"]}).json()["items"]
    assert [s["partner_sku"] for s in listed] == ["OX-1"]
    changed = client.patch(f"/stock-records/{stock['id']}", json={"num_in_stock": 3})
    assert changed.json()["num_in_stock"] == 3
    assert client.delete(f"/products/{shirt['id']}").status_code == 204
    assert not StockRecord.objects.exists()


def test_a_view_kept_outside_migrations_is_not_exposed_by_default(app: Any) -> None:
    spec = app.openapi()

    assert not [p for p in spec["paths"] if "hierarchy" in p]


def test_every_advertised_ordering_answers(client: TestClient) -> None:
    assert orderings_answered(client) > 200
