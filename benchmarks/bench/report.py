"""Render one run's results (the JSON written next to it) as a Markdown report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .endpoints import DEPTH_SERIES, PAGE_SERIES

LIST_ENDPOINTS = ("list", "filtered", "nested")
ITEM_ENDPOINTS = ("retrieve", "create", "update")
# (compared with, minimum ratio on list endpoints, minimum ratio on item endpoints)
TARGETS = (("raw", 0.5, None), ("drf", 5.0, 2.5), ("ninja", 5.0, 2.5), ("fastapi", 2.0, 1.5))
SUBJECT = "djgateway"
NONE = "n/a"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return NONE
    return f"{value:,.{digits}f}"


def _cell(results: dict[str, Any], contender: str, endpoint: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (
        results["contenders"].get(contender, {}).get("endpoints", {}).get(endpoint)
    )
    return found if found and "rps" in found else None


def _metric(results: dict[str, Any], contender: str, endpoint: str, key: str) -> float | None:
    cell = _cell(results, contender, endpoint)
    return None if cell is None else cell.get(key)


def _ratio(results: dict[str, Any], endpoint: str, left: str, right: str) -> float | None:
    a, b = _metric(results, left, endpoint, "rps"), _metric(results, right, endpoint, "rps")
    return a / b if a and b else None


def render(results: dict[str, Any]) -> str:
    meta = results["meta"]
    sections = [
        f"# djgateway benchmark — {meta['db_label']}",
        _intro(meta, results),
        "## Requests per second\n\n" + _throughput(results),
        "## Latency p50 / p99 (ms)\n\n" + _latency(results),
        "## Ratio to the raw limit (requests/s)\n\n" + _raw_ratios(results),
        "## djgateway against the targets of issue 8\n\n" + _targets(results),
        "## SQL statements per request\n\n" + _per_request(results, "sql", 0),
        "## Python memory allocated by one request (tracemalloc peak, KiB)\n\n"
        + _per_request(results, "alloc_kib", 0),
        "## Server memory (peak RSS of the serving process during the run, MiB)\n\n"
        "Servers live for the whole run: a peak also carries what earlier endpoints left.\n\n"
        + _per_request(results, "rss_mib", 0),
        "## Errors (socket errors + responses ≥ 400)\n\n" + _errors(results),
        "## Growth with page size (list by name)\n\n" + _growth(results, PAGE_SERIES, "limit"),
        "## Growth with nesting depth (10 rows each)\n\n" + _growth(results, DEPTH_SERIES, "depth"),
        "## Cold start (djgateway)\n\n" + _coldstart(results),
        "## Same answers\n\n" + _shapes(results),
    ]
    if results.get("profile"):
        sections.append("## Where djgateway spends its time\n\n" + _profile(results))
    sections.append("## Machine and versions\n\n" + _machine(meta))
    return "\n\n".join(sections) + "\n"


def _intro(meta: dict[str, Any], results: dict[str, Any]) -> str:
    load = meta["load"]
    rows = ", ".join(f"{count:,} {name}" for name, count in results["fixture"]["rows"].items())
    endpoints = "\n".join(
        f"- **{e['key']}** — {e['title']}: `{e['method']} {e['path']}`"
        + (f" ({e['note']})" if e["note"] else "")
        for e in results["endpoints"]
    )
    contenders = "\n".join(
        f"- **{c['title']}** (`{key}`): {c['server']}" for key, c in results["contenders"].items()
    )
    loadavg = " / ".join(" ".join(meta.get(key, ["?"])) for key in ("loadavg_start", "loadavg_end"))
    return (
        f"Run {meta['started']} by `{meta['command']}`.\n\n"
        f"All contenders run side by side, each one server process pinned to CPU "
        f"{load['server_cpu']}; wrk runs on CPU {load['load_cpu']} with {load['threads']} "
        f"threads and {load['connections']} connections. Every point (endpoint and contender) "
        f"is timed in {load['rounds']} rounds of {load['duration']} s, contenders in rotated "
        f"order, after {load['warmup']} s of warm-up; the best round is shown (all rounds are "
        f"in the JSON). {_noise(results)} The database server is not pinned; load average at "
        f"start / end: {loadavg}. Data set: {rows}, plus an index on the company name (the "
        f"list's "
        f"ordering). Django contenders share `bench/settings.py`: {_connections(meta)}."
        + f"\n\nContenders:\n{contenders}\n\n"
        "djgateway serves the sandbox gateway open (`build_gateway(secured=False)`), like the "
        "others without authentication; the secured variant (JWT, scopes, row filters, "
        "tenants) exists and only its cold start is measured here."
        f"\n\nEndpoints:\n{endpoints}"
    )


def _noise(results: dict[str, Any]) -> str:
    """How far apart the rounds of one point were: the machine's noise."""
    shares = sorted(
        min(rps) / max(rps)
        for contender in results["contenders"].values()
        for cell in contender["endpoints"].values()
        if len(rps := [r["rps"] for r in cell.get("rounds", [])]) > 1 and max(rps) > 0
    )
    if not shares:
        return ""
    median = shares[len(shares) // 2]
    return (
        f"Noise: the slower round of a point reached a median {median:.0%} of the faster "
        f"(lowest {shares[0]:.0%})."
    )


def _connections(meta: dict[str, Any]) -> str:
    if meta["db"] == "sqlite":
        return (
            f"`CONN_MAX_AGE={meta['conn_max_age']}` with health checks, transactions "
            "`BEGIN IMMEDIATE`"
        )
    if meta.get("pg_pool"):
        return f"Django's PostgreSQL connection pool, at most {meta['pg_pool']} per process"
    return f"`CONN_MAX_AGE={meta['conn_max_age']}` with health checks"


def _contenders(results: dict[str, Any]) -> list[str]:
    return list(results["contenders"])


def _main_endpoints(results: dict[str, Any]) -> list[str]:
    return [e["key"] for e in results["endpoints"] if e["group"] == "main"]


def _throughput(results: dict[str, Any]) -> str:
    contenders = _contenders(results)
    rows = [
        [key, *(_number(_metric(results, c, key, "rps")) for c in contenders)]
        for key in _main_endpoints(results)
    ]
    return table(["endpoint", *contenders], rows)


def _latency(results: dict[str, Any]) -> str:
    contenders = _contenders(results)
    rows = []
    for key in _main_endpoints(results):
        cells = []
        for contender in contenders:
            p50 = _metric(results, contender, key, "p50_ms")
            p99 = _metric(results, contender, key, "p99_ms")
            cells.append(NONE if p50 is None else f"{p50:.2f} / {p99:.2f}")
        rows.append([key, *cells])
    return table(["endpoint", *contenders], rows)


def _raw_ratios(results: dict[str, Any]) -> str:
    contenders = [c for c in _contenders(results) if c != "raw"]
    rows = [
        [key, *(_number(_ratio(results, key, c, "raw"), 3) for c in contenders)]
        for key in _main_endpoints(results)
    ]
    return table(["endpoint", *contenders], rows)


def _targets(results: dict[str, Any]) -> str:
    rows = []
    for key in _main_endpoints(results):
        cells = []
        for other, list_target, item_target in TARGETS:
            target = list_target if key in LIST_ENDPOINTS else item_target
            ratio = _ratio(results, key, SUBJECT, other)
            if ratio is None:
                cells.append(NONE)
            elif target is None:
                cells.append(f"{ratio:.2f}x")
            else:
                mark = "✅" if ratio >= target else "❌"
                cells.append(f"{ratio:.2f}x (≥ {target}) {mark}")
        rows.append([key, *cells])
    headers = ["endpoint", *(f"djgateway ÷ {other}" for other, _, _ in TARGETS)]
    note = (
        "Lists (list, filtered, nested): ≥ 0.5x raw, ≥ 5x DRF and ninja, ≥ 2x hand-written "
        "FastAPI. Retrieve, create, update: ≥ 2.5x DRF and ninja, ≥ 1.5x hand-written FastAPI."
    )
    return table(headers, rows) + "\n\n" + note


def _per_request(results: dict[str, Any], metric: str, digits: int) -> str:
    contenders = _contenders(results)
    keys = [e["key"] for e in results["endpoints"]]
    rows = [
        [key, *(_number(_metric(results, c, key, metric), digits) for c in contenders)]
        for key in keys
    ]
    return table(["endpoint", *contenders], rows)


def _errors(results: dict[str, Any]) -> str:
    contenders = _contenders(results)
    rows = []
    for endpoint in results["endpoints"]:
        cells = []
        for contender in contenders:
            cell = _cell(results, contender, endpoint["key"])
            cells.append(NONE if cell is None else f"{cell['errors']} + {cell['bad_status']}")
        rows.append([endpoint["key"], *cells])
    return table(["endpoint", *contenders], rows)


def _growth(results: dict[str, Any], series: Sequence[tuple[str, str]], label: str) -> str:
    contenders = _contenders(results)
    headers = [label, *(f"{c} p50 ms · req/s · SQL · KiB/request" for c in contenders)]
    rows = []
    for point, key in series:
        cells = []
        for contender in contenders:
            cell = _cell(results, contender, key)
            if cell is None:
                cells.append(NONE)
                continue
            sql, alloc = cell.get("sql", "?"), cell.get("alloc_kib")
            cells.append(
                f"{cell['p50_ms']:.2f} · {cell['rps']:,.0f} · {sql} · "
                f"{NONE if alloc is None else f'{alloc:,.0f}'}"
            )
        rows.append([f"{point} (`{key}`)", *cells])
    return table(headers, rows)


def _coldstart(results: dict[str, Any]) -> str:
    cold = results.get("coldstart")
    if not cold:
        return "Not measured."
    phases = ("django_setup", "import", "build", "total", "openapi", "process")
    rows = [
        [variant, *(f"{values[p] * 1000:.0f}" for p in phases)] for variant, values in cold.items()
    ]
    return (
        table(["gateway (ms, median of fresh processes)", *phases], rows)
        + "\n\n`total` = `django.setup()` + importing djgateway and the sandbox gateway + "
        "building the FastAPI app (plan, schemas, router): the issue's cold start, target "
        "< 1 s. `openapi` is the first `/openapi.json`; `process` the whole `python -c` run."
    )


def _shapes(results: dict[str, Any]) -> str:
    reference = results["reference"]
    lines = [f"Every answer is compared with **{reference}**'s before timing (status and JSON)."]
    for key, contender in results["contenders"].items():
        bad = {k: v for k, v in contender.get("checks", {}).items() if v}
        if bad:
            for endpoint, problems in bad.items():
                lines.append(f"- ❌ {key} `{endpoint}` (not timed): " + "; ".join(problems))
        else:
            lines.append(f"- ✅ {key}: same answers on every endpoint")
    return "\n".join(lines)


def _profile(results: dict[str, Any]) -> str:
    parts = [
        "`python -m bench.profile djgateway`: yappi's CPU clock in every thread, requests one "
        "at a time in-process (no network, no concurrency); the driver's frames are left out. "
        "Times are µs of CPU per request under the profiler (inflated: compare shares)."
    ]
    for endpoint, found in results["profile"].items():
        components = ", ".join(f"{name} {share:.0f}%" for name, share in found["components"])
        inclusive = [[f"`{name}`", f"{us:,.0f}"] for name, us in found["inclusive"]]
        own = [[f"`{name}`", f"{us:,.0f}"] for name, us in found["self"]]
        parts.append(
            f"### {endpoint}\n\n{found['cpu_us_per_request']:,.0f} µs of CPU per request "
            f"under the profiler. Self time by library: {components}.\n\n"
            + table(["function (inclusive)", "µs/request"], inclusive)
            + "\n\n"
            + table(["function (self)", "µs/request"], own)
        )
    return "\n\n".join(parts)


def _machine(meta: dict[str, Any]) -> str:
    machine = meta["machine"]
    rows = [[name, value] for name, value in {**machine, **meta["versions"]}.items()]
    return table(["", "version / value"], rows)


def main() -> None:
    """Re-render reports from their JSON: ``python -m bench.report results/sqlite.json``."""
    import json
    import sys
    from pathlib import Path

    for name in sys.argv[1:]:
        path = Path(name)
        results = json.loads(path.read_text())
        target = path.with_name(f"report-{results['meta']['db']}.md")
        target.write_text(render(results))
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
