"""djgateway's cold start: a fresh interpreter imports Django and djgateway, builds the gateway.

Phases, each the median of several fresh processes: ``django.setup()``, importing
djgateway and the sandbox gateway module, and building the FastAPI application (plan,
schemas, router). The OpenAPI document, built on the first ``/openapi.json``, is reported
apart. ``process`` is the whole ``python -c`` run, interpreter start-up included.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping

SCRIPT = """
import json, os, time
t0 = time.perf_counter()
import django
django.setup()
t1 = time.perf_counter()
from djgateway.sandbox.gateway import build_gateway
t2 = time.perf_counter()
app = build_gateway(secured={secured}).app(prefix="/api")
t3 = time.perf_counter()
app.openapi()
t4 = time.perf_counter()
print(json.dumps({{"django_setup": t1 - t0, "import": t2 - t1, "build": t3 - t2,
                  "total": t3 - t0, "openapi": t4 - t3}}))
"""


def measure(env: Mapping[str, str], runs: int = 5) -> dict[str, dict[str, float]]:
    """Median seconds per phase, for the open and the secured sandbox gateway.

    Uses the sandbox's own settings (not the benchmark's, which also install DRF).
    """
    env = {**env, "DJANGO_SETTINGS_MODULE": "djgateway.sandbox.settings"}
    results: dict[str, dict[str, float]] = {}
    for variant, secured in (("open", False), ("secured", True)):
        samples: list[dict[str, float]] = []
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", SCRIPT.format(secured=secured)],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise RuntimeError(f"cold start failed: {done.stderr[-500:]}")
            output = done.stdout
            sample = json.loads(output.strip().splitlines()[-1])
            sample["process"] = time.perf_counter() - started
            samples.append(sample)
        results[variant] = {
            phase: round(statistics.median(s[phase] for s in samples), 4) for phase in samples[0]
        }
    return results
