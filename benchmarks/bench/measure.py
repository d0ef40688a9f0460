"""The timing loop: check every answer, then endpoint by endpoint, contender by contender.

All servers run side by side (idle but one), so background load on a shared machine hits
every contender of an endpoint alike; each point is timed ``rounds`` times, in a rotated
contender order, and the best round is reported (all rounds stay in the JSON).
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path
from typing import Any

from . import dataset, shape
from .endpoints import Endpoint
from .load import LoadResult, run_wrk
from .server import Server, peak_rss

CHECK_POST = '{"name": "bench-check"}'


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def unique_names() -> str:
    """A prefix for POSTed names that no earlier run used."""
    return f"{dataset.WRITE_PREFIX}{uuid.uuid4().hex[:8]}-"


class Bench:
    def __init__(
        self,
        options: argparse.Namespace,
        fixture: dataset.Fixture,
        work: Path,
        load_cpu: str | None,
    ) -> None:
        self.options = options
        self.fixture = fixture
        self.work = work
        self.load_cpu = load_cpu

    def run(self, servers: list[Server], chosen: list[Endpoint]) -> dict[str, Any]:
        outcome: dict[str, dict[str, Any]] = {}
        first_get = next(e.path for e in chosen if e.method == "GET")
        for server in servers:
            contender = server.contender
            outcome[contender.key] = {
                "title": contender.title,
                "server": contender.server,
                "startup_s": round(server.wait_ready(first_get), 2),
                "checks": {},
                "endpoints": {},
            }
        self._check_all(servers, chosen, outcome)
        for round_index in range(self.options.rounds):
            for endpoint in chosen:
                shift = round_index % len(servers)
                for server in servers[shift:] + servers[:shift]:
                    key = server.contender.key
                    if outcome[key]["checks"][endpoint.key]:
                        continue
                    timed = self._time(server, endpoint, warmup=round_index == 0)
                    rounds = outcome[key]["endpoints"].setdefault(endpoint.key, {"rounds": []})
                    rounds["rounds"].append(timed)
        for contender in outcome.values():
            for cell in contender["endpoints"].values():
                cell.update(max(cell["rounds"], key=lambda r: r["rps"]))
        return outcome

    def _check_all(
        self, servers: list[Server], chosen: list[Endpoint], outcome: dict[str, Any]
    ) -> None:
        """The first server's answers are the reference for the others."""
        reference: dict[str, shape.Answer] = {}
        for server in servers:
            dataset.reset_writes(self.fixture)
            for endpoint in chosen:
                body = CHECK_POST if endpoint.method == "POST" else None
                answer = shape.fetch(server.url, endpoint, body)
                expected = reference.setdefault(endpoint.key, answer)
                problems = shape.check(expected, answer, endpoint)
                outcome[server.contender.key]["checks"][endpoint.key] = problems
                if problems:
                    log(f"{server.contender.key} {endpoint.key}: different answer, not timed")
        dataset.reset_writes(self.fixture)

    def _wrk(self, server: Server, endpoint: Endpoint, seconds: float) -> LoadResult:
        return run_wrk(
            server.url,
            endpoint,
            seconds=seconds,
            connections=self.options.connections,
            threads=self.options.threads,
            cpu=self.load_cpu,
            script=self.work / f"{endpoint.key}.lua",
            name_prefix=unique_names(),
        )

    def _time(self, server: Server, endpoint: Endpoint, *, warmup: bool) -> dict[str, Any]:
        if warmup and self.options.warmup:
            self._wrk(server, endpoint, self.options.warmup)
        with peak_rss(server) as peak:
            result = self._wrk(server, endpoint, self.options.duration)
        if endpoint.writes:
            dataset.reset_writes(self.fixture)
        log(
            f"{server.contender.key:>9} {endpoint.key:<9} {result.rps:>8,.0f} req/s  "
            f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
            f"errors {result.errors}+{result.bad_status}"
        )
        return {**result.as_dict(), "rss_mib": round(peak[0] / 1024, 1)}
