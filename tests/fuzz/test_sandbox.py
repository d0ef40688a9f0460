"""The sandbox passes fuzzing: on the test database, and as the README runs it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from fastapi import FastAPI

from djgateway.fuzz import FuzzOptions, plan_scopes, run_fuzz
from djgateway.sandbox.demo import TENANT_A
from djgateway.sandbox.gateway import SANDBOX_TOKENS, build_gateway

from .support import REPO, fuzz_in_new_process

DEPARTMENTS = "^/api/companies/{company_id}/departments"


def readme_command() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fuzzing\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    return shlex.split(block)


# Fresh sequences: the demo rows get the same ids in every run, so a seed replays exactly.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.usefixtures("demo")
def test_nested_routes_pass_fuzzing_on_the_test_database(sandbox_app: FastAPI) -> None:
    scopes = " ".join(plan_scopes(build_gateway().plan))
    token = SANDBOX_TOKENS.mint({"sub": "fuzz", "ten": str(TENANT_A), "scope": scopes})
    options = FuzzOptions(max_examples=3, seed=1, include=DEPARTMENTS, token=token)

    report = run_fuzz(sandbox_app, options)

    assert report.failures == []
    created = report.operations[
        "POST /api/companies/{company_id}/departments/{department_id}/teams"
    ]
    assert created.statuses[201] > 0  # the links led to the deepest collection


def test_the_readme_command_passes_on_a_throwaway_sandbox(tmp_path: Path) -> None:
    command = readme_command()
    assert command[:2] == ["djgateway", "fuzz"]

    result = fuzz_in_new_process(*command[2:], cwd=tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("No failures.")
    assert list(tmp_path.iterdir()) == []  # the database was thrown away
