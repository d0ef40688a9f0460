"""Django connections used from FastAPI's worker threads are closed after each request."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.db import connection
from fastapi.testclient import TestClient

pytestmark = pytest.mark.usefixtures("demo")

REQUESTS = 300
CONCURRENCY = 16


def open_connections(database: str) -> int:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL backends")
def test_connections_stay_bounded_under_concurrent_requests(client: TestClient) -> None:
    database = connection.settings_dict["NAME"]
    before = open_connections(database)
    urls = ["/api/companies", "/api/products", "/api/companies/999999/departments"]

    def call(n: int) -> int:
        return client.get(urls[n % len(urls)]).status_code

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        statuses = list(pool.map(call, range(REQUESTS)))

    assert statuses.count(200) == 200
    assert statuses.count(404) == 100
    # Every worker thread closed its connection in request_finished: nothing is left open
    # beyond what the test process itself held before the requests.
    assert open_connections(database) <= before
