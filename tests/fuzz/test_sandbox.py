"""The sandbox passes fuzzing: on the test database, and as the README runs it."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI

from djgateway.fuzz import FuzzOptions, plan_scopes, run_fuzz
from djgateway.sandbox.demo import TENANT_A
from djgateway.sandbox.gateway import SANDBOX_TOKENS, build_gateway

from .support import REPO, fuzz_in_new_process

DEPARTMENTS = "^/api/companies/{company_id}/departments"
#: Companies, their departments and the departments' teams (the chain the README describes).
CHAIN = "^/api/companies($|/{company_id}$|/{company_id}/departments($|/))"
TEAMS = "/api/companies/{company_id}/departments/{department_id}/teams"


def readme_command() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fuzzing\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    return shlex.split(block)


def rows_created_later_removed() -> Callable[[], None]:
    """A reset for the stateful phase on the test database (SQLite in memory or PostgreSQL,
    which a file copy cannot restore): the sandbox's rows created since now are deleted, so
    each scenario meets the same rows (names a department took are free again)."""
    from django.apps import apps

    models = [
        model
        for label in ("business", "catalog")
        for model in apps.get_app_config(label).get_models()
    ]
    kept = {model: set(model._default_manager.values_list("pk", flat=True)) for model in models}

    def reset() -> None:
        for model in reversed(models):  # children first: a product PROTECTs its category
            model._default_manager.exclude(pk__in=kept[model]).delete()

    return reset


# Fresh sequences: the demo rows get the same ids in every run, so a seed replays exactly.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.usefixtures("demo")
def test_nested_routes_pass_fuzzing_on_the_test_database(sandbox_app: FastAPI) -> None:
    scopes = " ".join(plan_scopes(build_gateway().plan))
    token = SANDBOX_TOKENS.mint({"sub": "fuzz", "ten": str(TENANT_A), "scope": scopes})
    options = FuzzOptions(max_examples=3, seed=1, include=DEPARTMENTS, token=token)

    report = run_fuzz(sandbox_app, options, reset=rows_created_later_removed())

    assert report.failures == []
    created = report.operations[
        "POST /api/companies/{company_id}/departments/{department_id}/teams"
    ]
    assert created.statuses[201] > 0  # the links led to the deepest collection
    assert len(report.links[TEAMS].followed) >= 3  # and on to the new teams


def test_the_readme_command_passes_on_a_throwaway_sandbox(tmp_path: Path) -> None:
    command = readme_command()
    assert command[:2] == ["djgateway", "fuzz"]

    result = fuzz_in_new_process(*command[2:], cwd=tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("No failures.")
    assert list(tmp_path.iterdir()) == []  # the database was thrown away


def links_followed(output: str) -> dict[str, tuple[int, int]]:
    """The "Links followed" table: resource → (followed, available)."""
    rows = re.findall(r"│ (/\S+) +│ +(\d+)/(\d+) │", output)
    return {resource: (int(followed), int(available)) for resource, followed, available in rows}


def test_the_stateful_phase_follows_the_departments_to_teams_chain(tmp_path: Path) -> None:
    args = ("--seed", "1", "--max-examples", "1", "--include", CHAIN, "--min-links", "10")

    result = fuzz_in_new_process(*args, cwd=tmp_path)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    links = links_followed(result.stdout)
    assert set(links) == {
        "/api/companies",
        "/api/companies/{company_id}/departments",
        TEAMS,
    }
    # creating a company, then a department in it, then a team in that, then its reads
    followed, available = links[TEAMS]
    assert available == 7 and followed >= 3
    assert links["/api/companies/{company_id}/departments"][0] >= 5
    assert result.stdout.rstrip().endswith("No failures.")
