"""`python -m djgateway.openapi BASE REVISION`: the differ of `djgateway check-openapi
--base/--revision` with the standard library only (no Django, FastAPI, typer or rich; PyYAML
only for YAML documents), for a CI job that has the two files and nothing else:

    pip install --no-deps djgateway    # plus pyyaml for YAML documents
    python -m djgateway.openapi base.json revision.json --fail-on ERR --format githubactions

Exit codes as `djgateway check-openapi`: 0 passes, 1 fails (`--fail-on`), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .check import (
    INCLUDE_CHECKS_IGNORED,
    CheckOptions,
    UnsupportedOptionError,
    check_documents,
    unknown_rules,
)
from .formats import FORMATS, ChangeReport, append_github_outputs, render
from .load import InputError, read_document, read_severity_levels
from .resolve import RefResolutionError

FAIL_ON = ("breaking", "any", "ERR", "WARN", "INFO")
USAGE_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; return the exit code."""
    arguments = _parser().parse_args(argv)
    try:
        report = _check(arguments)
        if arguments.format == "githubactions":
            append_github_outputs(report)
    except (InputError, RefResolutionError, UnsupportedOptionError, OSError) as error:
        sys.stderr.write(f"Error: {_problem(error)}\n")
        return USAGE_ERROR
    sys.stdout.write(render(report, arguments.format))
    return 1 if report.failing else 0


def _check(arguments: argparse.Namespace) -> ChangeReport:
    levels = read_severity_levels(arguments.severity_levels) if arguments.severity_levels else {}
    for rule in unknown_rules(levels):
        sys.stderr.write(f"Note: {rule} is not a rule djgateway reports; its level is unused\n")
    if arguments.include_checks:
        sys.stderr.write(f"Note: {INCLUDE_CHECKS_IGNORED}\n")
    options = CheckOptions(
        fail_on=arguments.fail_on,
        severity_levels=levels,
        deprecation_days_stable=arguments.deprecation_days_stable,
        deprecation_days_beta=arguments.deprecation_days_beta,
    )
    base, revision = arguments.base, arguments.revision
    documents = read_document(base), read_document(revision)
    return check_documents(*documents, (str(base), str(revision)), options)


def _problem(error: Exception) -> str:
    if isinstance(error, RefResolutionError):
        return f"cannot compare the documents: {error}"
    if isinstance(error, OSError):
        return f"cannot write $GITHUB_OUTPUT: {error.strerror or error}"
    return str(error)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m djgateway.openapi",
        description="Compare two OpenAPI documents (JSON or YAML) and classify every change "
        "with oasdiff's rule ids and levels.",
    )
    parser.add_argument("base", type=Path, help="the old document")
    parser.add_argument("revision", type=Path, help="the new document")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    parser.add_argument(
        "--fail-on",
        type=_fail_on,
        default="breaking",
        help="exit 1 on: breaking (ERR, WARN), any, or a level and worse (ERR, WARN, INFO)",
    )
    parser.add_argument("--severity-levels", type=Path, help="lines '<rule-id> err|warn|info|none'")
    parser.add_argument(
        "--include-checks",
        action="append",
        help="accepted for oasdiff compatibility and ignored: every rule runs",
    )
    for stage in ("stable", "beta"):
        parser.add_argument(
            f"--deprecation-days-{stage}",
            type=_days,
            help=f"minimum days between deprecating a {stage} operation and its sunset",
        )
    return parser


def _fail_on(value: str) -> str:
    for choice in FAIL_ON:
        if value.lower() == choice.lower():
            return choice
    raise argparse.ArgumentTypeError(f"choose from {', '.join(FAIL_ON)}")


def _days(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError("a number of days (0 or more)")
    return int(value)


if __name__ == "__main__":
    sys.exit(main())
