"""`--app` and `--settings`: every setup error is one line on stderr and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import REPO, assert_usage_error, invoke, run_cli


@pytest.mark.parametrize(
    ("app", "message"),
    [
        ("tests.cli.apps", "--app must look like module:attribute, not 'tests.cli.apps'"),
        ("no_such_module:app", "cannot import 'no_such_module': No module named 'no_such_module'"),
        ("tests.cli.apps:nothing", "module 'tests.cli.apps' has no attribute 'nothing'"),
        (
            "tests.cli.apps:not_a_gateway",
            "tests.cli.apps:not_a_gateway is not a Gateway, a FastAPI app or a factory (it is int)",
        ),
        (
            "tests.cli.apps:needs_arguments",
            "tests.cli.apps:needs_arguments needs arguments; a factory must take none",
        ),
        (
            "tests.cli.apps:misconfigured",
            "the gateway is misconfigured: djgateway.E001: overrides name models that are not "
            "in the given apps: ['testapp.Missing']",
        ),
        (
            "tests.cli.apps:unknown_app",
            "the gateway names an unknown app: No installed app with label 'no_such_app'.",
        ),
    ],
    ids=[
        "no-colon",
        "no-module",
        "no-attribute",
        "not-a-gateway",
        "factory-with-arguments",
        "configuration-error",
        "unknown-app",
    ],
)
@pytest.mark.parametrize("command", ["routes", "openapi", "check-openapi", "serve"])
def test_bad_app_is_one_line_and_exit_2(command: str, app: str, message: str) -> None:
    assert_usage_error(invoke(command, "--app", app), message)


def test_routes_needs_a_gateway_not_a_fastapi_app() -> None:
    result = invoke("routes", "--app", "tests.cli.apps:plain_app")

    assert_usage_error(
        result,
        "tests.cli.apps:plain_app is a FastAPI app not built by Gateway.app(): "
        "pass the Gateway (or a factory returning it) with --app",
    )


def test_settings_other_than_the_active_ones_are_refused() -> None:
    result = invoke("routes", "--settings", "djgateway.sandbox.settings")

    assert_usage_error(
        result, "Django is already set up with 'tests.settings', not 'djgateway.sandbox.settings'"
    )


def test_unconfigured_django_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("routes", "--app", "tests.cli.apps:small_gateway", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: Django is not configured: pass --settings or set DJANGO_SETTINGS_MODULE\n"
    )


def test_missing_settings_module_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_cli("openapi", "--settings", "no_such_settings", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: cannot set Django up with settings 'no_such_settings': "
        "No module named 'no_such_settings'\n"
    )


def test_sandbox_needs_no_settings_and_no_database(tmp_path: Path) -> None:
    result = run_cli("openapi", cwd=tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == invoke("openapi").stdout
    assert list(tmp_path.iterdir()) == []  # no SQLite file was created


def test_settings_and_app_of_a_project_are_found_from_its_directory(tmp_path: Path) -> None:
    result = run_cli(
        "routes", "--app", "tests.cli.apps:small_gateway", "--settings", "tests.settings", cwd=REPO
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("5 resources, 35 operations\n")
