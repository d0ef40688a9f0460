"""``djgateway fuzz`` through Typer's runner: failures, exit codes, setup errors."""

from __future__ import annotations

import sys

import pytest

from djgateway.fuzz.runner import INSTALL_HINT

from .support import fuzz

PLANTED = "tests.fuzz.apps:app"


def test_planted_500_is_reported_with_a_curl_reproduction_and_exit_1() -> None:
    result = fuzz("--app", PLANTED, "--seed", "1", "--max-examples", "5", "--include", "^/boom")

    assert result.exit_code == 1
    assert "ST101 Server error [not_a_server_error]" in result.stdout
    assert "   GET /boom\n" in result.stdout
    assert "curl -X GET http://127.0.0.1:8000/boom" in result.stdout
    assert "Run again with --seed 1 to repeat this run." in result.stdout


def test_healthy_app_from_a_factory_passes_with_exit_0() -> None:
    result = fuzz("--app", "tests.fuzz.apps:create_app", "--seed", "1", "--max-examples", "5")

    assert result.exit_code == 0, result.stdout
    assert "│ GET    │ /items/{item_id} │" in result.stdout
    assert result.stdout.rstrip().endswith("No failures.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app", "tests.fuzz.nothing_here:app"], "cannot import 'tests.fuzz.nothing_here'"),
        (["--app", "tests.fuzz.apps:missing"], "has no attribute 'missing'"),
        (["--app", "tests.fuzz.apps"], "--app must look like module:attribute"),
        (["--app", PLANTED, "--checks", "no_such_check"], "unknown check(s) no_such_check"),
        (["--app", PLANTED, "--include", "("], "--include is not a regular expression"),
        (["--app", PLANTED, "--include", "^/nowhere"], "--include '^/nowhere' matches no"),
        (["--settings", "tests.settings"], "--settings goes with --app"),
    ],
    ids=["module", "attribute", "form", "check", "regex", "no-match", "settings"],
)
def test_usage_error_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = fuzz(*args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_without_schemathesis_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "schemathesis.engine", None)

    result = fuzz("--app", PLANTED)

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: fuzzing needs Schemathesis: {INSTALL_HINT}\n",
    )


def test_checks_can_be_narrowed() -> None:
    result = fuzz(
        "--app", PLANTED, "--seed", "1", "--include", "^/boom", "--checks", "not_a_server_error"
    )

    assert result.exit_code == 1
    assert "not_a_server_error" in result.stdout
    assert "status_code_conformance" not in result.stdout


def test_too_few_links_followed_fail_the_run() -> None:
    app = "tests.fuzz.apps:create_app"  # no links: the stateful phase follows none
    result = fuzz("--app", app, "--seed", "1", "--max-examples", "1", "--min-links", "1")

    assert result.exit_code == 1
    assert "No failures." in result.stdout
    assert result.stdout.rstrip().endswith("Only 0 links followed, fewer than --min-links 1.")
