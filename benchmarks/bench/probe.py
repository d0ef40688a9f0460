"""SQL statements and allocated memory per request, in-process (``python -m bench.probe``).

The contender's application is imported in this process and called without a network.
Django contenders: an ``execute_wrapper`` is installed on every connection as it is created
(endpoints run in worker threads, each with its own connection). The raw limit counts the
statements it sends itself. Each endpoint is requested twice; the second (warm) one counts.
Transaction control and connection-level statements that bypass Django's cursors
(PostgreSQL's health check ``SELECT 1`` with ``CONN_HEALTH_CHECKS``) are not counted.
Memory: tracemalloc's peak of Python allocations during the counted request, above what
was allocated before it (all threads): what one request costs, apart from the process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import tracemalloc
from collections.abc import Callable
from typing import Any

from .contenders.registry import BY_KEY, Contender
from .dataset import Fixture
from .endpoints import Endpoint, endpoints
from .inprocess import load_app, sender

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class StatementCounter:
    """Counts data statements; transaction control is left out (PostgreSQL's BEGIN is
    implicit in the driver, SQLite's goes through Django's cursor)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            with self._lock:
                self.count += 1
        return execute(sql, params, many, context)

    def install(self) -> None:
        from django.db.backends.signals import connection_created

        def on_created(sender: Any, connection: Any, **kwargs: Any) -> None:
            # Sent on every connect, also when a pool hands out a connection again.
            if self not in connection.execute_wrappers:
                connection.execute_wrappers.append(self)

        connection_created.connect(on_created, weak=False)


def measure(contender: Contender, targets: list[Endpoint]) -> dict[str, dict[str, float]]:
    """``{"sql": {endpoint: statements}, "alloc_kib": {endpoint: KiB}}``."""
    counter = StatementCounter()
    if contender.key != "raw":
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        django.setup()
        counter.install()
    app = load_app(contender)
    raw_db = sys.modules["bench.contenders.raw_app"].DB if contender.key == "raw" else None

    def current() -> int:
        return int(raw_db.statements) if raw_db is not None else counter.count

    send = sender(app, contender.interface)
    found: dict[str, dict[str, float]] = {"sql": {}, "alloc_kib": {}}
    tracemalloc.start()
    for endpoint in targets:
        for attempt in ("warm", "count"):
            before = current()
            body = f'{{"name": "bench-probe-{attempt}"}}' if endpoint.method == "POST" else None
            tracemalloc.reset_peak()
            allocated = tracemalloc.get_traced_memory()[0]
            status = send(endpoint, body)
            peak = tracemalloc.get_traced_memory()[1] - allocated
            if status != endpoint.status:
                raise SystemExit(f"{contender.key} {endpoint.key}: status {status}")
        found["sql"][endpoint.key] = current() - before
        found["alloc_kib"][endpoint.key] = round(peak / 1024, 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("contender", choices=sorted(BY_KEY))
    parser.add_argument("fixture", help="the data set's fixture, as JSON")
    parser.add_argument("--endpoints", nargs="*")
    options = parser.parse_args()
    fixture = Fixture(**json.loads(options.fixture))
    targets = [e for e in endpoints(fixture) if not options.endpoints or e.key in options.endpoints]
    json.dump(measure(BY_KEY[options.contender], targets), sys.stdout)


if __name__ == "__main__":
    main()
