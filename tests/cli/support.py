"""Running the command line in-process, and golden files.

Golden files under `tests/cli/golden/` are rewritten, instead of compared, by
`DJGATEWAY_UPDATE_GOLDEN=1 pytest tests/cli`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from djgateway.cli.main import app

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "openapi_snapshots" / "sandbox.json"
GOLDEN = Path(__file__).parent / "golden"
WIDTH = 120
ENV: dict[str, str | None] = {
    "COLUMNS": str(WIDTH),
    "FORCE_COLOR": None,
    "NO_COLOR": None,
    "TTY_COMPATIBLE": None,
}


def invoke(*args: str) -> Result:
    """Run `djgateway *args` in-process, output `WIDTH` columns wide and without colour."""
    return CliRunner(env=ENV).invoke(app, list(args), catch_exceptions=False)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`djgateway *args` in a fresh process, without DJANGO_SETTINGS_MODULE."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(REPO)
    command = [sys.executable, "-c", "from djgateway.cli.main import run; run()", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("DJGATEWAY_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path}"


def assert_usage_error(result: Result, message: str) -> None:
    """Exit code 2 and exactly one line on stderr, nothing on stdout."""
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
