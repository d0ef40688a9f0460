"""Database faults: unreachable server, runaway queries, aborted transactions (PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.db.models.expressions import RawSQL
from fastapi.testclient import TestClient

from djgateway import Gateway, Resource

pytestmark = [
    pytest.mark.usefixtures("demo"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL server faults"),
]


@pytest.fixture
def database_down() -> Iterator[None]:
    """New connections go to a closed port until the fixture ends."""
    settings = connections.settings["default"]
    port = settings["PORT"]
    settings["PORT"] = "1"
    try:
        yield
    finally:
        settings["PORT"] = port


def test_unreachable_database_is_503_quickly_and_names_no_server(
    client: TestClient, database_down: None
) -> None:
    started = time.monotonic()
    response = client.get("/api/products")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["title"] == "Service Unavailable"
    for secret in ("127.0.0.1", "localhost", "postgres", "5432", "test_test", "password"):
        assert secret not in response.text.lower()
    assert client.post("/api/tags", json={"name": "down"}).status_code == 503


def test_requests_succeed_again_once_the_database_is_back(client: TestClient) -> None:
    settings = connections.settings["default"]
    port = settings["PORT"]
    settings["PORT"] = "1"
    try:
        assert client.get("/api/products").status_code == 503
    finally:
        settings["PORT"] = port
    assert client.get("/api/products").status_code == 200


def slow_rows(access: Any) -> Q:
    return Q(pk__in=RawSQL("SELECT id FROM catalog_tag, pg_sleep(2)", []))


@pytest.fixture
def statement_timeout() -> Iterator[None]:
    def set_timeout(sender: Any, connection: Any, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 200")

    connection_created.connect(set_timeout)
    try:
        yield
    finally:
        connection_created.disconnect(set_timeout)


def test_runaway_query_is_503_and_the_connection_stays_usable(
    transactional_db: Any, statement_timeout: None
) -> None:
    gateway = Gateway(
        apps=["catalog"], resources={"catalog.Tag": Resource(objects_filter=slow_rows)}
    )
    with TestClient(gateway.app()) as client:
        started = time.monotonic()
        assert client.get("/tags").status_code == 503
        assert time.monotonic() - started < 2
        # a write in the same worker after the cancelled statement works
        assert (
            client.post("/categories", json={"name": "After", "slug": "after"}).status_code == 201
        )
        assert client.get("/products").status_code == 200


def test_failed_write_leaves_no_aborted_transaction(client: TestClient) -> None:
    for _ in range(5):
        assert (
            client.post(
                "/api/products", json={"sku": "HAM-001", "name": "n", "price": "1"}
            ).status_code
            == 409
        )
    assert client.get("/api/products").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%%'"
        )
        (stuck,) = cursor.fetchone()
    assert stuck == 0
