"""Every `djgateway ...` line of the README's "Command line" section runs and exits 0."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.support import REPO, invoke, run_cli

README = REPO / "README.md"


def readme_commands() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Command line\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    lines = [line.split(" #", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("djgateway ")]


def readme_module_commands() -> list[str]:
    """The `python -m djgateway.openapi ...` lines: the differ without the command line."""
    section = README.read_text(encoding="utf-8").split("## Command line\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    lines = [line.split(" #", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("python -m djgateway.openapi ")]


@pytest.mark.parametrize("command", readme_module_commands())
def test_readme_module_command_exits_0(command: str, current: str, tmp_path: Path) -> None:
    for target in ("old.json", "new.json"):
        (tmp_path / target).write_text(current, encoding="utf-8")
    args = shlex.split(command)[1:]  # `python` is this interpreter

    result = subprocess.run(
        [sys.executable, *args], cwd=tmp_path, capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    assert "<testsuite" in result.stdout


def test_readme_documents_the_three_commands() -> None:
    names = {shlex.split(command)[1] for command in readme_commands()}

    assert names == {"routes", "openapi", "check-openapi"}


@pytest.fixture(scope="module")
def current() -> str:
    return invoke("openapi").stdout


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_exits_0(
    command: str, current: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "openapi_snapshots").mkdir()
    for target in ("openapi_snapshots/sandbox.json", "old.json", "new.json"):
        (tmp_path / target).write_text(current, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]

    if "--settings" in args:  # a fresh process: this one is already set up with test settings
        result = run_cli(*args, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (0, "")
    else:
        assert invoke(*args).exit_code == 0
