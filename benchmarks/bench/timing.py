"""CPU µs per request, in-process and one request at a time: ``python -m bench.timing``.

A steadier signal than wrk while working on the hot path (no network, no concurrency, no
profiler): every request runs inside one long-lived task, so FastAPI's worker threads and
Django's connections persist as they do under a server. CPU time counts every thread.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

from .contenders.registry import BY_KEY
from .dataset import Fixture
from .endpoints import Endpoint, endpoints
from .inprocess import _asgi, load_app


async def _cpu_per_request(app: Any, endpoint: Endpoint, requests: int) -> float:
    """Best of three rounds, in µs of CPU per request."""
    tag = f"bench-timing-{os.getpid()}"

    def body(index: int) -> bytes:
        if endpoint.method == "POST":
            return f'{{"name": "{tag}-{index}"}}'.encode()
        return (endpoint.body or "").encode()

    for index in range(50):
        await _asgi(app, endpoint, body(-index - 1))
    best = float("inf")
    for round_ in range(3):
        started = time.process_time()
        for index in range(requests):
            await _asgi(app, endpoint, body(round_ * requests + index))
        best = min(best, time.process_time() - started)
    return best / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("contender", choices=sorted(key for key in BY_KEY if key != "drf"))
    parser.add_argument("fixture", help="the data set's fixture, as JSON")
    parser.add_argument("--endpoints", nargs="*")
    parser.add_argument("--requests", type=int, default=500)
    options = parser.parse_args()
    fixture = Fixture(**json.loads(options.fixture))
    chosen = [e for e in endpoints(fixture) if not options.endpoints or e.key in options.endpoints]
    contender = BY_KEY[options.contender]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    app = load_app(contender)

    async def run() -> dict[str, int]:
        return {e.key: round(await _cpu_per_request(app, e, options.requests)) for e in chosen}

    json.dump(asyncio.run(run()), sys.stdout)


if __name__ == "__main__":
    main()
