"""Load with wrk on the other core: fixed connections and duration, results from Lua."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from .endpoints import Endpoint

LUA = """
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{body}
local threads = {{}}
local counter = 0
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
{request}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""

UNIQUE_NAMES = """
function request()
  counter = counter + 1
  local body = '{{"name":"{prefix}' .. tid .. '-' .. counter .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors and timeouts
    bad_status: int  # responses with a status >= 400

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def lua_script(endpoint: Endpoint, name_prefix: str) -> str:
    body = f"wrk.body = {json.dumps(endpoint.body)}" if endpoint.body else ""
    request = UNIQUE_NAMES.format(prefix=name_prefix) if endpoint.method == "POST" else ""
    return LUA.format(method=endpoint.method, body=body, request=request)


def run_wrk(
    url: str,
    endpoint: Endpoint,
    *,
    seconds: float,
    connections: int,
    threads: int,
    cpu: str | None,
    script: Path,
    name_prefix: str,
) -> LoadResult:
    script.write_text(lua_script(endpoint, name_prefix))
    pin = ["taskset", "-c", cpu] if cpu is not None else []
    command = [
        *pin,
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"),
        *("--timeout", "10s", "-s", str(script), url + endpoint.path),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    elapsed = raw["duration_us"] / 1e6
    return LoadResult(
        requests=raw["requests"],
        seconds=round(elapsed, 3),
        rps=round(raw["requests"] / elapsed, 1),
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        bad_status=raw["status"],
    )
