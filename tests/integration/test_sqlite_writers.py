"""16 concurrent writers on a SQLite file: every write waits its turn, none fails.

uvicorn serves the sandbox in a subprocess, on a throwaway SQLite file migrated and filled
with the demo data as ``djgateway serve`` does. Its settings begin write transactions
IMMEDIATE (``sandbox/dburl.py``); the control server drops that option and shows why it is
there: a DEFERRED transaction reads before it writes, and SQLite refuses its lock upgrade at
once while another writer holds the lock, whatever the busy timeout. A project of one's own
without the option is warned at startup (``djgateway.W006``, shown by ``djgateway routes``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
WRITERS = 16
WRITES_EACH = 20
SANDBOX_TIMEOUT = 10  # seconds a writer waits for the lock (sandbox/dburl.py)

# argv: port file, transaction mode ("IMMEDIATE", or "" for Django's DEFERRED), busy timeout
SERVE_SANDBOX = """
import socket, sys
from pathlib import Path

import uvicorn

import djgateway.sandbox.settings as settings

options = settings.DATABASES["default"]["OPTIONS"]
assert options["transaction_mode"] == "IMMEDIATE", options  # what the sandbox ships
assert options["timeout"] == 10, options
options["transaction_mode"] = sys.argv[2] or None
options["timeout"] = float(sys.argv[3])

from djgateway.cli.serve import SANDBOX_APP, prepare_sandbox

prepare_sandbox()  # migrate and load the demo data, as `djgateway serve` does
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))  # the system picks a free port, kept until uvicorn listens
server = uvicorn.Server(uvicorn.Config(SANDBOX_APP, factory=True, log_level="warning"))
Path(sys.argv[1]).write_text(str(listener.getsockname()[1]), encoding="utf-8")
server.run(sockets=[listener])
"""


class Served:
    def __init__(self, base: str, database: Path) -> None:
        self.base = base
        self.database = database

    def count(self, sql: str, *params: object) -> int:
        with sqlite3.connect(self.database) as db:
            found: int = db.execute(sql, params).fetchone()[0]
        return found


@contextmanager
def served_sandbox(
    work: Path, transaction_mode: str = "IMMEDIATE", timeout: float = SANDBOX_TIMEOUT
) -> Iterator[Served]:
    """uvicorn serving the sandbox on ``work/sandbox.sqlite3``, stopped on exit."""
    database, port_file, log = work / "sandbox.sqlite3", work / "port", work / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJGATEWAY_"))}
    env.update(DJGATEWAY_DATABASE_URL=f"sqlite:///{database}", PYTHONPATH=str(REPO))
    command = [sys.executable, "-c", SERVE_SANDBOX, str(port_file)]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, transaction_mode, str(timeout)],
            cwd=work,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Served(_wait_until_served(server, port_file, log), database)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_served(server: subprocess.Popen[bytes], port_file: Path, log: Path) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the sandbox server exited ({server.returncode}):\n{log.read_text()}")
        if port_file.exists() and port_file.read_text():
            base = f"http://127.0.0.1:{port_file.read_text()}"
            try:
                if httpx.get(f"{base}/api/categories", timeout=10).status_code == 200:
                    return base
            except httpx.TransportError:
                pass  # not listening yet
        time.sleep(0.25)
    pytest.fail(f"the sandbox server did not answer within 120 s:\n{log.read_text()}")


Write = Callable[[httpx.Client, int, int], httpx.Response]


def hammer(base: str, write: Write) -> list[httpx.Response]:
    """``WRITERS`` threads, released together, each sending ``WRITES_EACH`` writes in turn."""
    start = threading.Barrier(WRITERS)
    answers: list[list[httpx.Response]] = [[] for _ in range(WRITERS)]

    def writer(thread: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            start.wait()
            answers[thread] = [write(client, thread, n) for n in range(WRITES_EACH)]

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [answer for thread_answers in answers for answer in thread_answers]


def create_product(client: httpx.Client, thread: int, n: int) -> httpx.Response:
    sku = f"load-{thread}-{n}"
    body = {"sku": sku, "name": f"Load {thread}/{n}", "price": "9.99", "stock": n}
    return client.post("/api/products", json=body)


def statuses(answers: list[httpx.Response]) -> Counter[int]:
    return Counter(answer.status_code for answer in answers)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served_sandbox(tmp_path_factory.mktemp("immediate")) as served:
        yield served


def test_concurrent_creates_all_succeed(sandbox: Served) -> None:
    before = sandbox.count("SELECT count(*) FROM catalog_product")
    answers = hammer(sandbox.base, create_product)
    assert statuses(answers) == {201: WRITERS * WRITES_EACH}, [
        a.text for a in answers if a.status_code != 201
    ][:3]
    assert sandbox.count("SELECT count(*) FROM catalog_product") == before + WRITERS * WRITES_EACH
    assert len({answer.json()["id"] for answer in answers}) == WRITERS * WRITES_EACH


def test_concurrent_partial_updates_all_succeed(sandbox: Served) -> None:
    with httpx.Client(base_url=sandbox.base) as client:
        bodies = [{"sku": f"patched-{i}", "name": "Patched", "price": "1"} for i in range(WRITERS)]
        ids = [client.post("/api/products", json=body).json()["id"] for body in bodies]
    # Two writers per row: each PATCH also waits for the row lock its twin may hold.
    shared = [ids[thread // 2] for thread in range(WRITERS)]

    def patch(client: httpx.Client, thread: int, n: int) -> httpx.Response:
        body = {"stock": n, "views": thread}
        return client.patch(f"/api/products/{shared[thread]}", json=body)

    answers = hammer(sandbox.base, patch)
    assert statuses(answers) == {200: WRITERS * WRITES_EACH}, [
        a.text for a in answers if a.status_code != 200
    ][:3]
    last = WRITES_EACH - 1
    placeholders = ", ".join("?" * len(set(shared)))
    finished = f"SELECT count(*) FROM catalog_product WHERE stock = ? AND id IN ({placeholders})"
    # Whichever twin wrote last, both sent `last` as their final stock.
    assert sandbox.count(finished, last, *set(shared)) == len(set(shared))


def test_a_lock_held_past_the_busy_timeout_is_a_503_with_retry_after(tmp_path: Path) -> None:
    timeout = 1  # the sandbox's 10 s, shortened to keep the test short
    with served_sandbox(tmp_path, timeout=timeout) as sandbox:
        held, retried = _write_while_locked(sandbox)
    answer, waited = held
    assert answer.status_code == 503, answer.text
    assert waited >= timeout * 0.9  # it waited its turn first
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) > 0
    problem = answer.json()
    assert problem["status"] == 503
    assert problem["detail"] == "The database is busy with other writes; retry shortly."
    assert retried.status_code == 201, retried.text  # once the lock is released


def _write_while_locked(
    sandbox: Served,
) -> tuple[tuple[httpx.Response, float], httpx.Response]:
    holder = sqlite3.connect(sandbox.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.monotonic()
        answer = httpx.post(
            f"{sandbox.base}/api/products",
            json={"sku": "held", "name": "Held", "price": "1.00"},
            timeout=60,
        )
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    retried = httpx.post(
        f"{sandbox.base}/api/products", json={"sku": "held", "name": "Held", "price": "1.00"}
    )
    return (answer, waited), retried


def test_control_without_immediate_transactions_concurrent_writers_fail(
    tmp_path: Path,
) -> None:
    """Django's default (DEFERRED) on the same load: SQLite refuses lock upgrades at once."""
    with served_sandbox(tmp_path, "") as control:
        answers = hammer(control.base, create_product)
        created = control.count("SELECT count(*) FROM catalog_product WHERE sku LIKE 'load-%'")
    counted = statuses(answers)
    assert set(counted) == {201, 503} and counted[503] > 0, counted
    assert created == counted[201]  # a refused write left nothing behind
    refused = next(a for a in answers if a.status_code == 503)
    assert refused.json()["detail"] == "The database is busy with other writes; retry shortly."
    assert "retry-after" in refused.headers
    print(f"control (DEFERRED): {dict(counted)} of {len(answers)}")


DEFERRED_SETTINGS = """
from djgateway.sandbox.settings import *  # noqa: F403
from djgateway.sandbox.settings import DATABASES

DATABASES["default"]["OPTIONS"].pop("transaction_mode")  # Django's default: DEFERRED
"""


def routes(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJGATEWAY_"))}
    env.update(DJGATEWAY_DATABASE_URL=f"sqlite:///{cwd / 'unused.sqlite3'}", PYTHONPATH=str(REPO))
    command = [sys.executable, "-c", "from djgateway.cli.main import run; run()", "routes", *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_routes_warns_when_sqlite_writes_begin_deferred(tmp_path: Path) -> None:
    (tmp_path / "deferred_settings.py").write_text(DEFERRED_SETTINGS, encoding="utf-8")
    warned = " ".join(routes(tmp_path, "--settings", "deferred_settings").split())
    assert (
        "warning djgateway.W006: DATABASES['default'] (SQLite): write transactions begin "
        "DEFERRED, so a write arriving while another is in progress fails at once with a 503"
    ) in warned
    assert "add 'transaction_mode': 'IMMEDIATE'" in warned
    assert "djgateway.W006" not in routes(tmp_path)  # the sandbox's own settings
    assert not (tmp_path / "unused.sqlite3").exists()  # a warning from settings alone
