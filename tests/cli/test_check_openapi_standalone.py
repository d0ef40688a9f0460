"""Comparing two files needs neither Django, FastAPI nor pydantic: `djgateway check-openapi
--base/--revision` in a fresh process imports none of them, and `python -m djgateway.openapi`
runs on the standard library alone (timings: benchmarks/check_openapi_speed.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.support import REPO, invoke
from tests.cli.test_check_openapi_files import breaking_revision, pets

HEAVY = ["django", "fastapi", "pydantic", "starlette", "djgateway.gateway", "djgateway.binding"]
# Run the installed entry point, then list what the process imported.
RUN_AND_LIST_MODULES = """
import json, sys
from djgateway.cli.main import run
sys.argv = sys.argv[1:]  # ["djgateway", *args]
try:
    run()
finally:
    with open(MODULES, "w") as out:
        json.dump(sorted(sys.modules), out)
"""


def fresh_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "GITHUB_OUTPUT")
    }
    env["PYTHONPATH"] = str(REPO)
    return env


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / "base.json").write_text(json.dumps(pets()), encoding="utf-8")
    (tmp_path / "revision.json").write_text(json.dumps(breaking_revision()), encoding="utf-8")
    return tmp_path


def run_listing_modules(directory: Path, *args: str) -> tuple[int, str, list[str]]:
    listing = directory / "modules.json"
    script = RUN_AND_LIST_MODULES.replace("MODULES", repr(str(listing)))
    command = [sys.executable, "-c", script, "djgateway", *args]
    done = subprocess.run(
        command, cwd=directory, env=fresh_env(), capture_output=True, text=True, check=False
    )
    modules: list[str] = json.loads(listing.read_text(encoding="utf-8"))
    return done.returncode, done.stdout, modules


def top_level(modules: list[str], names: list[str]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names)]


@pytest.mark.parametrize("output_format", ["json", "text", "githubactions", "junit"])
def test_comparing_two_files_imports_no_web_stack(pair: Path, output_format: str) -> None:
    code, stdout, modules = run_listing_modules(
        pair, "check-openapi", "--base", "base.json", "--revision", "revision.json",
        "--format", output_format,
    )  # fmt: skip

    assert code == 1
    assert "api-path-removed-without-deprecation" in stdout
    assert top_level(modules, HEAVY) == []
    assert "djgateway.openapi.diff" in modules
    assert ("rich" in modules) == (output_format == "text")  # the table of the text format


def test_the_snapshot_check_still_loads_the_application(tmp_path: Path) -> None:
    code, stdout, modules = run_listing_modules(tmp_path, "check-openapi", "--update")

    assert (code, stdout) == (0, "Wrote openapi_snapshots/sandbox.json.\n")
    assert {"django", "fastapi", "djgateway.gateway"} <= set(modules)


def run_stdlib_only(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -S -m djgateway.openapi`: no site-packages, so no third-party package at all."""
    command = [sys.executable, "-S", "-m", "djgateway.openapi", *args]
    return subprocess.run(
        command, cwd=directory, env=fresh_env(), capture_output=True, text=True, check=False
    )


def test_module_entry_point_needs_only_the_standard_library(pair: Path) -> None:
    probe = run_stdlib_only(pair, "--help")
    result = run_stdlib_only(pair, "base.json", "revision.json", "--format", "json")

    assert probe.returncode == 0
    report = json.loads(result.stdout)
    assert (result.returncode, result.stderr) == (1, "")
    assert report["summary"] == {"ERR": 3, "INFO": 2, "WARN": 0}
    imports = [sys.executable, "-S", "-c", "import yaml"]
    no_yaml = subprocess.run(imports, env=fresh_env(), capture_output=True, check=False)
    assert no_yaml.returncode == 1  # PyYAML really is out of reach


def test_module_entry_point_reports_like_the_command(pair: Path) -> None:
    module = run_stdlib_only(
        pair, "base.json", "revision.json", "--fail-on", "ERR", "--format", "junit"
    )
    command = subprocess.run(
        [sys.executable, "-c", "from djgateway.cli.main import run; run()", "check-openapi",
         "--base", "base.json", "--revision", "revision.json", "--fail-on", "ERR",
         "--format", "junit"],
        cwd=pair, env=fresh_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert (module.returncode, module.stdout) == (command.returncode, command.stdout)
    assert module.returncode == 1


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["base.json", "missing.json"], 2, "Error: no such file: missing.json\n"),
        (["base.json", "base.yaml"], 2, "Error: base.yaml is YAML, and reading YAML needs "
         "PyYAML: pip install pyyaml (or convert the document to JSON)\n"),
        (["base.json", "base.json", "--fail-on", "INFO"], 0, ""),
        (["base.json", "revision.json", "--include-checks", "x", "--format", "json"], 1,
         "Note: --include-checks is ignored: every rule runs (oasdiff retired optional checks "
         "in v1.27); use --severity-levels to change a rule's level or turn it off\n"),
    ],
    ids=["missing", "yaml-without-pyyaml", "identical", "include-checks"],
)  # fmt: skip
def test_module_entry_point_exit_codes(pair: Path, args: list[str], code: int, stderr: str) -> None:
    (pair / "base.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")

    result = run_stdlib_only(pair, *args)

    assert (result.returncode, result.stderr) == (code, stderr)


def test_module_entry_point_refuses_bad_options(pair: Path) -> None:
    result = run_stdlib_only(pair, "base.json", "revision.json", "--fail-on", "fatal")

    assert result.returncode == 2
    assert "argument --fail-on: choose from breaking, any, ERR, WARN, INFO" in result.stderr


def test_commands_load_lazily_but_typos_still_get_suggestions() -> None:
    result = invoke("check-openap")

    assert result.exit_code == 2
    assert "Did you mean 'check-openapi', 'openapi'?" in result.stderr
