"""Plain reads (orm/rows.py) answer exactly what the model path answers, on every resource.

The same sandbox is served twice over one database: as shipped, and with plain reads
switched off (every row validated by its read schema and dumped by it). Every list and
every row must come back identical, including the edge cases of the column decoders:
datetimes without microseconds, NULLs, UUID keys, booleans, many-to-many ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from djgateway.orm import rows as rows_module
from djgateway.plan import GatewayPlan, ResourcePlan


@pytest.fixture(scope="module")
def model_path_app() -> Iterator[FastAPI]:
    from djgateway.sandbox.gateway import build_gateway

    yield build_gateway(secured=False, fast_paths=False).app(prefix="/api")


@pytest.fixture
def edge_rows(demo: None) -> None:
    from djgateway.sandbox.business.models import Company
    from djgateway.sandbox.catalog.models import Product

    whole_second = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    Product.objects.filter(pk=Product.objects.order_by("pk").first().pk).update(
        created=whole_second, release_date=None, weight=None, in_stock=False
    )
    Company.objects.filter(pk=Company.objects.order_by("pk").first().pk).update(
        created_at=whole_second, founded=None
    )


def _collections(plan: GatewayPlan, client: TestClient) -> Iterator[tuple[ResourcePlan, str]]:
    """The collection path of every resource, under the first parent found on each level."""
    first_ids: dict[str, Any] = {}
    for resource in plan:  # parents come before their children
        ids = {link.param: first_ids.get(link.resource_key) for link in resource.ancestors}
        if None in ids.values():
            continue
        path = "/api" + resource.collection_path.format(**ids)
        yield resource, path
        items = client.get(path, params={"limit": 1}).json()["items"]
        if items:
            first_ids[resource.key] = items[0][resource.model.pk.attname]


def _answers(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return json.loads(response.content)


def test_plain_keys_are_the_fields_written_as_their_plain_json() -> None:
    from djgateway.sandbox.catalog.models import Product
    from djgateway.sandbox.gateway import build_gateway

    schemas = build_gateway(secured=False).schemas["products"]
    plain = rows_module.plain_keys(schemas.read, Product)
    assert {"id", "name", "in_stock", "release_date", "created", "public_id", "tags"} <= plain
    assert {"weight", "category_id", "views", "price"} <= plain  # decimals are plain too
    # times, durations, JSON and bytes keep the model path
    assert not plain & {"available_from", "warranty", "attributes", "checksum"}


def test_every_list_and_row_matches_the_model_path(
    client: TestClient, model_path_app: FastAPI, edge_rows: None
) -> None:
    from djgateway.sandbox.gateway import build_gateway

    plan = build_gateway(secured=False).plan
    compared = 0
    with TestClient(model_path_app) as reference:
        for resource, path in _collections(plan, client):
            plain = rows_module.plain_keys(
                build_gateway(secured=False).schemas[resource.key].read,
                resource.model.model,
            )
            variants: list[dict[str, Any]] = [{"limit": 500}]
            if plain:
                variants.append({"limit": 500, "fields": ",".join(sorted(plain))})
            for params in variants:
                page = _answers(client, path, **params)
                assert page == _answers(reference, path, **params), (path, params)
                compared += 1
                for item in page["items"][:3]:
                    pk = item.get(resource.model.pk.attname)
                    if pk is None:
                        continue
                    url = f"{path}/{pk}"
                    assert _answers(client, url) == _answers(reference, url), url
    assert compared >= 2 * len(plan.resources) - 4  # nearly every resource, both variants


def test_a_datetime_cursor_keeps_its_microseconds(client: TestClient, edge_rows: None) -> None:
    """The demo products are created within one millisecond: a cursor cut to milliseconds
    (Django's JSON encoder) skipped rows."""
    seen: list[Any] = []
    fields = "id,name,created,tags"
    url, params = "/api/products", {"order_by": "-created", "limit": 2, "fields": fields}
    while True:
        page = _answers(client, url, **params)
        seen.extend(item["id"] for item in page["items"])
        if page["next_cursor"] is None:
            break
        params = {**params, "cursor": page["next_cursor"]}
    everything = _answers(client, url, order_by="-created", limit=500)["items"]
    assert seen == [item["id"] for item in everything]
    assert len(seen) == len(set(seen)) >= 3


FILTERED = [
    ("/api/companies", {"name__istartswith": "a"}),
    ("/api/companies", {"name__istartswith": "A"}),  # the same compiled query, another value
    ("/api/companies", {"name__icontains": "corp", "order_by": "-name"}),
    ("/api/companies", {"name__icontains": "%"}),  # LIKE wildcards are literal text
    ("/api/companies", {"name__icontains": "_"}),
    ("/api/companies", {"name__istartswith": "\\"}),
    ("/api/companies", {"!name__icontains": "corp"}),
    ("/api/companies", {"id__gt": "1", "id__lte": "3"}),
    ("/api/companies", {"founded__isnull": "true"}),
    ("/api/companies", {"founded__isnull": "false"}),
    ("/api/companies", {"founded__gte": "1990-01-01"}),
    ("/api/companies", {"created_at__lt": "2999-01-01T00:00:00Z"}),
    ("/api/companies", {"created_at__gt": "2026-03-01T12:00:00Z"}),
    ("/api/companies", {"created_at__year": "2026"}),  # not reused: date parts
    ("/api/companies", {"id__in": "1,2"}),  # not reused: lists
    ("/api/tags", {"name": "eco"}),
    ("/api/tags", {"color": "#00ff00"}),
    ("/api/products", {"category__name__icontains": "o", "fields": "id,name,created"}),
    ("/api/products", {"category_id": "1", "fields": "id,name"}),
    ("/api/products", {"in_stock": "true", "fields": "id,name"}),  # not reused: booleans
    ("/api/products", {"!rating__isnull": "true", "fields": "id,name,rating"}),
]


@pytest.mark.parametrize(("url", "params"), FILTERED)
def test_filtered_pages_match_the_model_path(
    client: TestClient,
    model_path_app: FastAPI,
    edge_rows: None,
    url: str,
    params: dict[str, str],
) -> None:
    with TestClient(model_path_app) as reference:
        for _ in range(2):  # the second request runs the compiled query, if there is one
            assert _answers(client, url, **params) == _answers(reference, url, **params)


def test_a_public_id_filter_matches_the_model_path(
    client: TestClient, model_path_app: FastAPI, edge_rows: None
) -> None:
    from djgateway.sandbox.catalog.models import Product

    public_ids = list(Product.objects.values_list("public_id", flat=True)[:2])
    with TestClient(model_path_app) as reference:
        for public_id in public_ids:
            params = {"public_id": str(public_id), "fields": "id,public_id"}
            page = _answers(client, "/api/products", **params)
            assert page == _answers(reference, "/api/products", **params)
            assert [item["public_id"] for item in page["items"]] == [str(public_id)]
