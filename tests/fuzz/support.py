"""Run ``djgateway fuzz`` in-process (Typer's runner) or in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from djgateway.cli.main import app

REPO = Path(__file__).resolve().parents[2]
ENV: dict[str, str | None] = {"COLUMNS": "200", "FORCE_COLOR": None, "NO_COLOR": None}


def fuzz(*args: str) -> Result:
    return CliRunner(env=ENV).invoke(app, ["fuzz", *args], catch_exceptions=False)


def fuzz_in_new_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``djgateway fuzz *args`` with the sandbox's own settings (none in the environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJGATEWAY_"))}
    env.update(PYTHONPATH=str(REPO), COLUMNS="200")
    command = [sys.executable, "-c", "from djgateway.cli.main import run; run()", "fuzz", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
