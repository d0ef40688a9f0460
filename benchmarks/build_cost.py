#!/usr/bin/env python3
"""What a gateway costs before it serves (issue 13): building it, and rendering its document.

For the sandbox and the three real-world gateways of ``tests/realworld/gateways.py``, each run
a fresh interpreter (Django set up, FastAPI and djgateway imported before the clock starts):

- ``plan``, ``schemas``, ``router``: ``Gateway.plan``, ``.schemas``, ``.router`` in turn;
  ``build`` is their sum;
- ``app``: ``Gateway.app()`` (FastAPI includes the router; djgateway also builds there what
  FastAPI would otherwise build on the first request or document);
- ``render``: the first ``app.openapi()``; ``ready`` is ``build + app + render``.

Prints the median of ``--runs`` (5) runs per gateway, in seconds, and with ``--json`` also
writes every run. ``--root`` measures another checkout (a copy of an older commit, say) with
this script; given more than once, the checkouts' runs are interleaved. Run it from the
repository root with the project's virtualenv active::

    python benchmarks/build_cost.py
    git archive HEAD~1 | tar -x -C /tmp/before
    python benchmarks/build_cost.py --root /tmp/before --root . --json results/build-cost.json

The machine is small and shared: compare numbers taken minutes apart, interleaved when in
doubt (``--rounds``), not across days. ``cpu`` (process time of the whole run) is less
sensitive to another process on the other core than the wall-clock phases.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("plan", "schemas", "router", "build", "app", "render", "ready", "cpu")

GATEWAYS = {
    # name: (settings module, Python expression of the gateway, app() prefix)
    "sandbox": (
        "djgateway.sandbox.settings",
        "__import__('djgateway.sandbox.gateway', fromlist=['_']).build_gateway()",
        "/api",
    ),
    "contrib": (
        "tests.realworld.settings",
        "__import__('tests.realworld.gateways', fromlist=['_']).contrib_gateway()",
        "",
    ),
    "shop": (
        "tests.realworld.settings",
        "__import__('tests.realworld.gateways', fromlist=['_']).shop_gateway()",
        "",
    ),
    "oscar": (
        "tests.realworld.settings",
        "__import__('tests.realworld.gateways', fromlist=['_']).oscar_gateway()",
        "",
    ),
}

RUN = """
import json, time
import django
django.setup()
import fastapi, fastapi.openapi.utils, djgateway.binding  # imports are not the build
gateway = {gateway}
cpu, t0 = time.process_time(), time.perf_counter()
gateway.plan
t1 = time.perf_counter()
gateway.schemas
t2 = time.perf_counter()
gateway.router
t3 = time.perf_counter()
app = gateway.app(prefix={prefix!r})
t4 = time.perf_counter()
document = app.openapi()
t5 = time.perf_counter()
print(json.dumps({{
    "plan": t1 - t0, "schemas": t2 - t1, "router": t3 - t2, "build": t3 - t0,
    "app": t4 - t3, "render": t5 - t4, "ready": t5 - t0, "cpu": time.process_time() - cpu,
    "resources": len(gateway.plan.resources), "paths": len(document["paths"]),
    "schemas_in_document": len(document.get("components", {{}}).get("schemas", {{}})),
}}))
"""


def run_once(name: str, root: Path) -> dict[str, float]:
    settings, gateway, prefix = GATEWAYS[name]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    script = RUN.format(gateway=gateway, prefix=prefix)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"{name} failed in {root}:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root", type=Path, action="append", help="a checkout to measure (default: this one)"
    )
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per gateway")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the runs round-robin over the gateways"
    )
    parser.add_argument("--json", type=Path, help="also write every run to this file")
    parser.add_argument("gateways", nargs="*", help=f"some of {', '.join(GATEWAYS)} (all)")
    options = parser.parse_args(argv)
    gateways = options.gateways or list(GATEWAYS)
    if unknown := set(gateways) - GATEWAYS.keys():
        parser.error(f"unknown gateways: {', '.join(sorted(unknown))}")

    roots = [root.resolve() for root in options.root or [ROOT]]
    runs: dict[str, dict[str, list[dict[str, float]]]] = {
        str(root): {name: [] for name in gateways} for root in roots
    }
    for _ in range(options.runs * options.rounds):
        for name in gateways:  # interleaved, so that a busy moment hits all of them
            for root in roots:
                runs[str(root)][name].append(run_once(name, root))

    for root, by_gateway in runs.items():
        count = options.runs * options.rounds
        print(f"\n{root}: median of {count} fresh processes, seconds")
        print(f"{'gateway':<10}{'models':>7}{'paths':>7}" + "".join(f"{p:>9}" for p in PHASES))
        for name, measured in by_gateway.items():
            first = measured[0]
            medians = [statistics.median(run[phase] for run in measured) for phase in PHASES]
            print(
                f"{name:<10}{first['resources']:>7.0f}{first['paths']:>7.0f}"
                + "".join(f"{value:>9.3f}" for value in medians)
            )
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(runs, indent=1) + "\n")


if __name__ == "__main__":
    main()
