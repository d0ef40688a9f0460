"""Run the benchmark on one database (or both, one child process each) and write the report."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import coldstart, dataset, report
from .contenders.registry import BY_KEY, CONTENDERS, Contender
from .endpoints import Endpoint, endpoints
from .environment import describe
from .measure import Bench, log
from .server import BENCH_ROOT, Server

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/djgateway_bench"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--duration", type=float, default=5, help="s per timed wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="timed runs per point (best wins)")
    parser.add_argument("--warmup", type=float, default=1, help="s of load before round 1")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--contenders", nargs="+", choices=list(BY_KEY), default=list(BY_KEY))
    parser.add_argument("--endpoints", nargs="+", help="only these endpoint keys")
    parser.add_argument("--companies", type=int, help="data set size (default 5000)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="Django CONN_MAX_AGE")
    parser.add_argument("--pg-pool", type=int, default=8, help="pool size (0: CONN_MAX_AGE)")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="a database the run may drop")
    parser.add_argument("--port", type=int, default=8801, help="first port (one per contender)")
    parser.add_argument("--profile", action="store_true", help="py-spy djgateway afterwards")
    parser.add_argument("--quick", action="store_true", help="CI smoke run: small, 1 s each")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--out", type=Path, help="results folder (default benchmarks/results)")
    options = parser.parse_args(argv)
    if options.quick:
        options.duration, options.warmup, options.rounds = 1, 0, 1
        options.companies = options.companies or dataset.QUICK.companies
        options.out = options.out or BENCH_ROOT / "work" / "quick"
    options.out = options.out or BENCH_ROOT / "results"
    return options


def main(argv: list[str]) -> int:
    options = parse(argv)
    if options.db == "both":
        return max(_child(argv, db) for db in ("sqlite", "postgres"))
    return Session(options, argv).run()


def _child(argv: list[str], db: str) -> int:
    rest = [a for i, a in enumerate(argv) if a != "--db" and (i == 0 or argv[i - 1] != "--db")]
    command = [sys.executable, "-m", "bench.main", "--db", db, *rest]
    return subprocess.run(command, cwd=BENCH_ROOT, check=False).returncode


class Session:
    """One database: data set, cold start, all contenders side by side, SQL counts, report."""

    def __init__(self, options: argparse.Namespace, argv: list[str]) -> None:
        self.options = options
        self.argv = argv
        self.work = BENCH_ROOT / "work" / options.db
        self.work.mkdir(parents=True, exist_ok=True)
        sqlite_file = BENCH_ROOT / "work" / "bench.sqlite3"
        self.url = f"sqlite:///{sqlite_file}" if options.db == "sqlite" else options.pg_url
        self.env = {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJGATEWAY_DATABASE_URL": self.url,
            "BENCH_CONN_MAX_AGE": str(options.conn_max_age),
            "BENCH_PG_POOL": str(options.pg_pool),
        }
        self.cpus = ("0", "1") if (os.cpu_count() or 1) >= 2 else (None, None)

    def run(self) -> int:
        os.environ.update(self.env)
        log(f"{self.options.db}: creating the database and the data set")
        dataset.create_database(self.url)
        try:
            return self._run()
        finally:
            if not self.options.keep_db:
                from django.db import connections

                connections.close_all()
                dataset.drop_database(self.url)

    def _run(self) -> int:
        import django
        from django.db import connections

        django.setup()
        started = time.perf_counter()
        size = dataset.Size(companies=self.options.companies or dataset.FULL.companies)
        fixture = dataset.load(size)
        log(f"data set ready in {time.perf_counter() - started:.1f}s: {fixture.rows}")
        connections.close_all()
        chosen = [e for e in endpoints(fixture) if self._wanted(e)]
        contenders = [c for c in CONTENDERS if c.key in self.options.contenders]
        results: dict[str, Any] = {
            "meta": describe(self.options, self.argv, self.cpus),
            "fixture": fixture.as_dict(),
            "endpoints": [{**asdict(e), "writes": e.writes} for e in chosen],
            "reference": contenders[0].key,
        }
        if "djgateway" in self.options.contenders:
            log("cold start of djgateway")
            runs = 1 if self.options.quick else 5
            results["coldstart"] = coldstart.measure(self.env, runs=runs)
        bench = Bench(self.options, fixture, self.work, self.cpus[1])
        with ExitStack() as stack:
            servers = [
                stack.enter_context(self._server(contender, self.options.port + index))
                for index, contender in enumerate(contenders)
            ]
            results["contenders"] = bench.run(servers, chosen)
        for contender in contenders:
            cells = results["contenders"][contender.key]["endpoints"]
            for metric, values in self._probe(contender, chosen, fixture).items():
                for key, value in values.items():
                    cells.setdefault(key, {})[metric] = value
        if self.options.profile:
            results["profile"] = self._profile(chosen, fixture)
        results["meta"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
        self._write(results)
        checks = (c["checks"].values() for c in results["contenders"].values())
        return 1 if any(problems for each in checks for problems in each) else 0

    def _wanted(self, endpoint: Endpoint) -> bool:
        return not self.options.endpoints or endpoint.key in self.options.endpoints

    def _server(self, contender: Contender, port: int) -> Server:
        log(f"{contender.key}: starting on port {port}")
        log_path = self.work / f"{contender.key}.log"
        return Server(contender, port, self.env, self.cpus[0], log_path)

    def _in_process(
        self, tool: str, contender: Contender, chosen: list[Endpoint], fixture: dataset.Fixture
    ) -> Any:
        """Run ``bench.<tool>`` on ``contender`` in a fresh process; its JSON, or None."""
        command = [sys.executable, "-m", f"bench.{tool}", contender.key]
        command += [json.dumps(fixture.as_dict()), "--endpoints", *(e.key for e in chosen)]
        env = {**os.environ, **self.env, **contender.env, "PYTHONPATH": str(BENCH_ROOT)}
        done = subprocess.run(
            command, env=env, cwd=BENCH_ROOT, capture_output=True, text=True, check=False
        )
        dataset.reset_writes(fixture)
        if done.returncode:
            log(f"{contender.key}: bench.{tool} failed: {done.stderr.strip()[-300:]}")
            return None
        return json.loads(done.stdout)

    def _probe(
        self, contender: Contender, chosen: list[Endpoint], fixture: dataset.Fixture
    ) -> dict[str, dict[str, float]]:
        found: dict[str, dict[str, float]] = (
            self._in_process("probe", contender, chosen, fixture) or {}
        )
        log(f"{contender.key}: SQL per request {found.get('sql')}")
        return found

    def _profile(self, chosen: list[Endpoint], fixture: dataset.Fixture) -> dict[str, Any]:
        log("profiling djgateway in-process (yappi)")
        main_endpoints = [e for e in chosen if e.group == "main"]
        found = self._in_process("profile", BY_KEY["djgateway"], main_endpoints, fixture)
        return found or {}

    def _write(self, results: dict[str, Any]) -> None:
        out: Path = self.options.out
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{self.options.db}.json").write_text(json.dumps(results, indent=1) + "\n")
        markdown = out / f"report-{self.options.db}.md"
        markdown.write_text(report.render(results))
        log(f"wrote {markdown}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
