#!/usr/bin/env python3
"""How long `djgateway check-openapi --base X --revision Y` takes (issue 15), cold.

The pair: the committed sandbox snapshot (`openapi_snapshots/sandbox.json`, ~1 MB, 40 paths)
against itself with one change (`CompanyCreate.name` no longer required). Every run is a new
interpreter, timed from outside (wall clock, like a CI step):

- ``startup``: ``python -c pass`` (the floor);
- ``command``: ``djgateway check-openapi --base X --revision Y`` (text report, piped);
- ``json``: the same with ``--format json`` (no rich);
- ``module``: ``python -m djgateway.openapi X Y`` (standard library only), where it exists;
- ``phases``: one more process that prints where the time goes inside: ``import`` (the
  differ and its formats), ``load`` (reading both JSON files), ``diff`` (``diff_documents``),
  ``render`` (the JSON report).

Prints the median of ``--runs`` (9) runs, in seconds. ``--root`` measures another checkout
(a copy of an older commit) with this script; given more than once, the checkouts' runs are
interleaved. Run it from the repository root with the project's virtualenv active::

    python benchmarks/check_openapi_speed.py
    git archive HEAD | tar -x -C /tmp/before
    python benchmarks/check_openapi_speed.py --root /tmp/before --root . --markdown

A copy made by `git archive` has no `djgateway/cli` (the installed package maps it to
`cli/`): the script links it. The machine is small and shared: compare numbers taken minutes
apart, interleaved, not across days.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = Path("openapi_snapshots/sandbox.json")
CLI = "from djgateway.cli.main import run; run()"
PHASES_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from pathlib import Path
from djgateway.openapi.changes import has_breaking
from djgateway.openapi.diff import diff_documents
from djgateway.openapi.formats import ChangeReport, json_text
from djgateway.openapi.load import read_document
imported = time.perf_counter()
base, revision = read_document(Path(sys.argv[1])), read_document(Path(sys.argv[2]))
loaded = time.perf_counter()
changes = diff_documents(base, revision)
diffed = time.perf_counter()
failing = has_breaking(changes, "breaking")
json_text(ChangeReport(tuple(changes), "base", "revision", "breaking", failing, base == revision))
rendered = time.perf_counter()
print(json.dumps({"import": imported - start, "load": loaded - imported,
                  "diff": diffed - loaded, "render": rendered - diffed}))
"""


def make_pair(root: Path, directory: Path) -> tuple[Path, Path]:
    """The snapshot of `root`, and a revision where a company's name became optional."""
    document = json.loads((root / SNAPSHOT).read_text(encoding="utf-8"))
    base, revision = directory / "base.json", directory / "revision.json"
    base.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    document["components"]["schemas"]["CompanyCreate"]["required"].remove("name")
    revision.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
    return base, revision


def prepare(root: Path) -> None:
    """An archived checkout: import `djgateway.cli` from its `cli/`, as the install does."""
    link = root / "djgateway" / "cli"
    if root != ROOT and not link.exists():
        link.symlink_to(root / "cli", target_is_directory=True)


def timed(command: list[str], root: Path, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=_env(root), capture_output=True, check=False)
    return time.perf_counter() - start


def commands(root: Path, base: Path, revision: Path) -> dict[str, list[str]]:
    files = ["--base", str(base), "--revision", str(revision)]
    found = {
        "startup": [sys.executable, "-c", "pass"],
        "command": [sys.executable, "-c", CLI, "check-openapi", *files],
        "json": [sys.executable, "-c", CLI, "check-openapi", *files, "--format", "json"],
    }
    if (root / "djgateway" / "openapi" / "__main__.py").exists():
        found["module"] = [sys.executable, "-m", "djgateway.openapi", str(base), str(revision)]
    return found


def phases(root: Path, base: Path, revision: Path, cwd: Path) -> dict[str, float] | None:
    if not (root / "djgateway" / "openapi" / "formats.py").exists():
        return None
    command = [sys.executable, "-c", PHASES_SCRIPT, str(base), str(revision)]
    done = subprocess.run(
        command, cwd=cwd, env=_env(root), capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(root)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, action="append", help="checkout(s) to measure")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    arguments = parser.parse_args()
    roots = [root.resolve() for root in arguments.root or [ROOT]]
    times: dict[Path, dict[str, list[float]]] = {root: {} for root in roots}
    inside: dict[Path, list[dict[str, float]]] = {root: [] for root in roots}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        pairs = {}
        for number, root in enumerate(roots):
            prepare(root)
            (work / str(number)).mkdir()
            pairs[root] = make_pair(root, work / str(number))
        for _ in range(arguments.runs):
            for root in roots:  # interleaved: a busy moment hits every checkout alike
                base, revision = pairs[root]
                for name, command in commands(root, base, revision).items():
                    times[root].setdefault(name, []).append(timed(command, root, work))
                measured = phases(root, base, revision, work)
                if measured:
                    inside[root].append(measured)
    _print(roots, times, inside, arguments.runs, arguments.markdown)


def _print(
    roots: list[Path],
    times: dict[Path, dict[str, list[float]]],
    inside: dict[Path, list[dict[str, float]]],
    runs: int,
    markdown: bool,
) -> None:
    names = ["startup", "command", "json", "module", "import", "load", "diff", "render"]
    rows = []
    for root in roots:
        medians = {name: statistics.median(values) for name, values in times[root].items()}
        for phase in ("import", "load", "diff", "render"):
            if inside[root]:
                medians[phase] = statistics.median(run[phase] for run in inside[root])
        rows.append((str(root), [f"{medians[n]:.3f}" if n in medians else "-" for n in names]))
    if markdown:
        print(f"| checkout (median of {runs}, s) | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for root, cells in rows:
            print(f"| {root} | " + " | ".join(cells) + " |")
        return
    print(f"median of {runs} cold runs, seconds")
    for root, cells in rows:
        print(root)
        for name, cell in zip(names, cells, strict=True):
            print(f"  {name:<8} {cell}")


if __name__ == "__main__":
    main()
