"""Where a contender's CPU time goes, per request (run as ``python -m bench.profile``).

The application runs in this process and is called one request at a time with a bare ASGI
or WSGI call (``bench.inprocess``), under yappi's CPU clock in every thread (the event loop
and FastAPI's worker threads alike). The driver's own frames are left out. Time in
C code (the database driver, pydantic-core, orjson) counts for the Python function that
called it. A deterministic profiler inflates small Python calls: read shares, not totals.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from typing import Any

import yappi

from .contenders.registry import BY_KEY
from .dataset import Fixture
from .endpoints import Endpoint, endpoints
from .inprocess import Sender, load_app, sender

DRIVER = ("/bench/", "/yappi")
PLUMBING = ("threading.py", "asyncio/", "concurrent/", "anyio/_backends/", "contextlib.py")
COMPONENTS = (
    ("/djgateway/", "djgateway"),
    ("/django/db/", "Django ORM"),
    ("/django/", "Django (other)"),
    ("/pydantic", "pydantic"),
    ("/fastapi/", "FastAPI"),
    ("/starlette/", "Starlette"),
    ("/anyio/", "anyio (thread pool)"),
    ("/asyncio/", "asyncio"),
    ("/sqlite3/", "sqlite3 driver"),
    ("/psycopg", "psycopg driver"),
)


def _short(module: str) -> str:
    for marker in ("site-packages/", "/work/main/", "python3.11/"):
        if marker in module:
            return module.split(marker, 1)[1]
    return module


def _component(module: str) -> str:
    return next((label for marker, label in COMPONENTS if marker in module), "other")


def profile_endpoint(send: Sender, endpoint: Endpoint, requests: int) -> dict[str, Any]:
    def body(index: int) -> str | None:
        return f'{{"name": "bench-profile-{index}"}}' if endpoint.method == "POST" else None

    for index in range(20):
        send(endpoint, body(-index - 1))
    yappi.clear_stats()
    yappi.set_clock_type("cpu")
    yappi.start(builtins=False, profile_threads=True)
    for index in range(requests):
        send(endpoint, body(index))
    yappi.stop()
    stats = [s for s in yappi.get_func_stats() if not any(d in s.module for d in DRIVER)]
    total = sum(s.tsub for s in stats) or 1.0
    components: dict[str, float] = defaultdict(float)
    for stat in stats:
        components[_component(stat.module)] += stat.tsub

    def label(stat: Any) -> str:
        return f"{stat.name} ({_short(stat.module)}:{stat.lineno})"

    def per_request(seconds: float) -> float:
        return round(seconds / requests * 1e6, 1)

    inclusive = sorted(
        (s for s in stats if not any(p in s.module for p in PLUMBING)),
        key=lambda s: s.ttot,
        reverse=True,
    )
    own = sorted(stats, key=lambda s: s.tsub, reverse=True)
    return {
        "requests": requests,
        "cpu_us_per_request": per_request(total),
        "components": sorted(
            ((name, round(100 * t / total, 1)) for name, t in components.items()),
            key=lambda item: -item[1],
        ),
        "inclusive": [(label(s), per_request(s.ttot)) for s in inclusive[:18]],
        "self": [(label(s), per_request(s.tsub)) for s in own[:12]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("contender", choices=sorted(BY_KEY))
    parser.add_argument("fixture", help="the data set's fixture, as JSON")
    parser.add_argument("--endpoints", nargs="*")
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()
    fixture = Fixture(**json.loads(options.fixture))
    chosen = [e for e in endpoints(fixture) if e.group == "main"]
    targets = [e for e in chosen if not options.endpoints or e.key in options.endpoints]
    contender = BY_KEY[options.contender]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    send = sender(load_app(contender), contender.interface)
    results = {e.key: profile_endpoint(send, e, options.requests) for e in targets}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
