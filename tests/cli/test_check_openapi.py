"""`djgateway check-openapi`: exit 0 when nothing breaks, 1 when something does, 2 on misuse."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from djgateway.openapi import canonical_json
from tests.cli.support import REPO, assert_golden, assert_usage_error, invoke

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def current() -> Doc:
    """The sandbox's document as `djgateway openapi` prints it now."""
    document: Doc = json.loads(invoke("openapi").stdout)
    return document


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in `tmp_path`, so that reports name files by short relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, document: Doc) -> str:
    path.write_text(canonical_json(document), encoding="utf-8")
    return path.name


def with_breaking_changes(current: Doc) -> Doc:
    """A snapshot from which the current API removed a path and made `name` required."""
    snapshot = copy.deepcopy(current)
    legacy = {"operationId": "legacy", "responses": {"200": {"description": "ok"}}}
    snapshot["paths"]["/api/legacy"] = {"get": legacy}
    snapshot["components"]["schemas"]["CompanyCreate"]["required"].remove("name")
    return snapshot


def with_non_breaking_changes(current: Doc) -> Doc:
    """A snapshot to which the current API added the item operations of categories."""
    snapshot = copy.deepcopy(current)
    del snapshot["paths"]["/api/categories/{category_id}"]
    return snapshot


def test_committed_snapshot_matches_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)

    result = invoke("check-openapi")

    assert (result.exit_code, result.stdout) == (
        0,
        "No API changes from openapi_snapshots/sandbox.json to the current API.\n",
    )


def test_breaking_change_fails_with_exit_1(current: Doc, in_tmp: Path) -> None:
    name = write(in_tmp / "snapshot.json", with_breaking_changes(current))

    result = invoke("check-openapi", "--snapshot", name)

    assert result.exit_code == 1
    assert_golden("check_breaking.txt", result.stdout)


@pytest.mark.parametrize("output_format", ["markdown", "json"])
def test_breaking_change_report_formats(current: Doc, in_tmp: Path, output_format: str) -> None:
    name = write(in_tmp / "snapshot.json", with_breaking_changes(current))

    result = invoke("check-openapi", "--snapshot", name, "--format", output_format)

    assert result.exit_code == 1
    suffix = "md" if output_format == "markdown" else "json"
    assert_golden(f"check_breaking.{suffix}", result.stdout)


def test_non_breaking_change_passes_but_is_listed(current: Doc, in_tmp: Path) -> None:
    name = write(in_tmp / "snapshot.json", with_non_breaking_changes(current))

    result = invoke("check-openapi", "--snapshot", name)

    assert result.exit_code == 0
    assert_golden("check_non_breaking.txt", result.stdout)


def test_fail_on_any_fails_on_a_non_breaking_change(current: Doc, in_tmp: Path) -> None:
    name = write(in_tmp / "snapshot.json", with_non_breaking_changes(current))

    result = invoke("check-openapi", "--snapshot", name, "--fail-on", "any", "--format", "json")

    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (report["failing"], report["summary"]) == (True, {"ERR": 0, "INFO": 4, "WARN": 0})


def test_detail_only_difference_passes_and_says_so(current: Doc, in_tmp: Path) -> None:
    snapshot = copy.deepcopy(current)
    snapshot["info"]["description"] = "An older description."
    name = write(in_tmp / "snapshot.json", snapshot)

    result = invoke("check-openapi", "--snapshot", name)

    assert (result.exit_code, result.stdout) == (
        0,
        "No API changes from snapshot.json to the current API "
        "(the documents differ only in details).\n",
    )


def test_update_rewrites_the_snapshot(current: Doc, in_tmp: Path) -> None:
    name = write(in_tmp / "snapshot.json", with_breaking_changes(current))

    updated = invoke("check-openapi", "--snapshot", name, "--update")
    again = invoke("check-openapi", "--snapshot", name, "--update")

    assert (updated.exit_code, updated.stdout) == (0, "Wrote snapshot.json.\n")
    assert (in_tmp / name).read_text(encoding="utf-8") == invoke("openapi").stdout
    assert (again.exit_code, again.stdout) == (0, "snapshot.json is up to date.\n")
    assert invoke("check-openapi", "--snapshot", name).exit_code == 0


def test_update_creates_the_default_snapshot(in_tmp: Path) -> None:
    result = invoke("check-openapi", "--update")

    assert (result.exit_code, result.stdout) == (0, "Wrote openapi_snapshots/sandbox.json.\n")
    snapshot = in_tmp / "openapi_snapshots" / "sandbox.json"
    assert snapshot.read_text(encoding="utf-8") == invoke("openapi").stdout


def test_the_snapshot_is_found_from_a_subdirectory(in_tmp: Path) -> None:
    assert invoke("check-openapi", "--update").exit_code == 0
    nested = in_tmp / "src" / "deeper"
    nested.mkdir(parents=True)
    os.chdir(nested)

    result = invoke("check-openapi")

    assert result.exit_code == 0
    assert f"from {in_tmp.resolve()}/openapi_snapshots/sandbox.json" in result.stdout


def test_no_snapshot_anywhere_says_where_it_looked(in_tmp: Path) -> None:
    result = invoke("check-openapi")

    assert_usage_error(
        result,
        f"no such file: openapi_snapshots/sandbox.json (looked in {in_tmp} and its parents; "
        "run the check from the project that commits openapi_snapshots/sandbox.json, pass "
        "--snapshot FILE, or create it here with --update)",
    )


def test_base_and_revision_compare_two_files(current: Doc, in_tmp: Path) -> None:
    old = write(in_tmp / "old.json", with_breaking_changes(current))
    new = write(in_tmp / "new.json", current)

    breaking = invoke("check-openapi", "--base", old, "--revision", new, "--format", "json")
    same = invoke("check-openapi", "--base", new, "--revision", new)

    report = json.loads(breaking.stdout)
    assert breaking.exit_code == 1
    assert (report["base"], report["revision"]) == ("old.json", "new.json")
    assert [change["rule"] for change in report["changes"]] == [
        "request-property-became-required",
        "api-path-removed-without-deprecation",
    ]
    assert (same.exit_code, same.stdout) == (0, "No API changes from new.json to new.json.\n")


def test_missing_snapshot_is_a_usage_error(in_tmp: Path) -> None:
    result = invoke("check-openapi", "--snapshot", "missing.json")

    assert_usage_error(result, "no such file: missing.json (create it with --update)")


def test_snapshot_that_is_not_json_is_a_usage_error(in_tmp: Path) -> None:
    (in_tmp / "broken.json").write_text("{", encoding="utf-8")

    result = invoke("check-openapi", "--snapshot", "broken.json")

    assert_usage_error(
        result,
        "broken.json is not JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
    )


def test_snapshot_that_is_not_an_object_is_a_usage_error(in_tmp: Path) -> None:
    (in_tmp / "list.json").write_text("[]", encoding="utf-8")

    result = invoke("check-openapi", "--base", "list.json", "--revision", "list.json")

    assert_usage_error(result, "list.json is not an OpenAPI document (a JSON object)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "a.json"], "--base and --revision go together"),
        (["--revision", "b.json"], "--base and --revision go together"),
        (
            ["--base", "a.json", "--revision", "b.json", "--update"],
            "--base/--revision compare two files: drop --app, --settings, --snapshot, --update",
        ),
    ],
    ids=["base-alone", "revision-alone", "base-with-update"],
)
def test_file_comparison_options_misused_are_usage_errors(args: list[str], message: str) -> None:
    assert_usage_error(invoke("check-openapi", *args), message)


@pytest.mark.parametrize("option", ["--format", "--fail-on"])
def test_unknown_choice_is_a_usage_error(option: str) -> None:
    result = invoke("check-openapi", option, "yaml")

    assert (result.exit_code, result.stdout) == (2, "")
    assert f"Invalid value for '{option}'" in result.stderr
