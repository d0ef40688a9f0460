"""Connections under load: serve the sandbox with uvicorn on PostgreSQL, drive mixed requests
(reads, writes, 4xx, clients that hang up mid-request) from 127.0.0.1, and watch
``pg_stat_activity``: the server's connections must stay within the thread-pool bound, return
to the baseline, and never be left ``idle in transaction``.

    python scripts/connection_load.py --requests 3000 --concurrency 32

Exit status 0 when every bound holds, 1 otherwise. Uses its own database (created, dropped).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

DATABASE = "djgateway_load"
THREAD_POOL = 40  # anyio's default limit for FastAPI's sync endpoints


@dataclass
class Samples:
    counts: list[int] = field(default_factory=list)
    idle_in_transaction: int = 0


def admin_connection(url: str) -> psycopg.Connection:
    return psycopg.connect(url, dbname="postgres", autocommit=True)


def server_connections(admin: psycopg.Connection) -> tuple[int, int]:
    row = admin.execute(
        "SELECT count(*), count(*) FILTER (WHERE state LIKE 'idle in transaction%%') "
        "FROM pg_stat_activity WHERE datname = %s",
        (DATABASE,),
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(base_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJGATEWAY_DATABASE_URL": f"{base_url}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "djgateway.sandbox.settings",
    }
    djgateway = Path(sys.executable).parent / "djgateway"
    command = [str(djgateway), "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(
                f"server exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            if httpx.get(f"{url}/api/products", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("server did not start")


def abort_midway(port: int) -> None:
    """A client that sends half a request body and hangs up."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
        raw.sendall(
            b"POST /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"name": "half'
        )


def one_request(client: httpx.Client, port: int, n: int) -> int:
    """Reads, writes, 400 / 404 / 422 paths and an aborted client, in a fixed rotation."""
    kind = n % 8
    if kind == 4:
        abort_midway(port)
        return 0
    calls = {
        0: lambda: client.post("/api/tags", json={"name": f"load-{n}"}),
        1: lambda: client.get("/api/products", params={"colour": "red"}),
        2: lambda: client.get("/api/products/999999999"),
        3: lambda: client.patch("/api/products/1", json={"views": n}),
        5: lambda: client.post("/api/tags", json={"name": "x" * 80}),
    }
    default = lambda: client.get("/api/products", params={"order_by": "-price", "count": "exact"})  # noqa: E731
    return calls.get(kind, default)().status_code


def sample(admin: psycopg.Connection, samples: Samples, stop: threading.Event) -> None:
    while not stop.is_set():
        total, idle = server_connections(admin)
        samples.counts.append(total)
        samples.idle_in_transaction = max(samples.idle_in_transaction, idle)
        time.sleep(0.05)


def run(base_url: str, requests: int, concurrency: int) -> int:
    with admin_connection(base_url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    port = free_port()
    server = start_server(base_url, port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        with admin_connection(base_url) as admin:
            time.sleep(0.5)
            baseline, _ = server_connections(admin)
            samples, stop = Samples(), threading.Event()
            sampler = threading.Thread(target=sample, args=(admin, samples, stop))
            sampler.start()
            started = time.monotonic()
            statuses: dict[int, int] = {}
            with (
                httpx.Client(base_url=url, timeout=10) as client,
                ThreadPoolExecutor(concurrency) as pool,
            ):
                for status in pool.map(lambda n: one_request(client, port, n), range(requests)):
                    statuses[status] = statuses.get(status, 0) + 1
            elapsed = time.monotonic() - started
            time.sleep(1.0)  # let the last request_finished signals run
            stop.set()
            sampler.join()
            after, idle_after = server_connections(admin)
    finally:
        server.terminate()
        server.wait(timeout=10)
        with admin_connection(base_url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    peak = max(samples.counts, default=0)
    print(f"requests: {requests} in {elapsed:.1f}s, concurrency {concurrency}, statuses {statuses}")
    print(f"server connections: baseline {baseline}, peak {peak}, after {after}")
    print(f"idle in transaction: peak {samples.idle_in_transaction}, after {idle_after}")
    failures = []
    if statuses.get(500):
        failures.append("500 responses")
    if peak > baseline + THREAD_POOL:
        failures.append(f"peak {peak} above the thread-pool bound {baseline + THREAD_POOL}")
    if after > baseline:
        failures.append(f"{after - baseline} connections left open")
    if idle_after:
        failures.append("connections left idle in transaction")
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    sys.exit(run(args.database_url.rstrip("/"), args.requests, args.concurrency))


if __name__ == "__main__":
    main()
