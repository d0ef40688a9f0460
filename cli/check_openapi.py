"""``djgateway check-openapi``: compare the API with its committed snapshot (or two files).

Exit codes: 0 when nothing fails the check, 1 when something does (`--fail-on`), 2 on usage
errors (bad options, an unreadable snapshot, an application that cannot be loaded).

Comparing two files (`--base`/`--revision`) imports neither Django nor FastAPI nor rich (a
`text` report on a terminal aside): the differ and its formats use the standard library.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any

import typer

from djgateway.openapi.check import (
    INCLUDE_CHECKS_IGNORED,
    CheckOptions,
    UnsupportedOptionError,
    check_documents,
    unknown_rules,
)
from djgateway.openapi.formats import ChangeReport, append_github_outputs, render
from djgateway.openapi.load import (
    InputError,
    MissingInputError,
    read_severity_levels,
    render_document,
)
from djgateway.openapi.load import read_document as load_document
from djgateway.openapi.resolve import RefResolutionError

from .app_loading import AppOption, SettingsOption, usage_error

DEFAULT_SNAPSHOT = Path("openapi_snapshots/sandbox.json")
CURRENT = "the current API"


class Format(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    githubactions = "githubactions"
    junit = "junit"


class FailOn(enum.StrEnum):
    breaking = "breaking"
    any = "any"
    ERR = "ERR"
    WARN = "WARN"
    INFO = "INFO"


def check_openapi(
    *,
    app: AppOption = None,
    settings: SettingsOption = None,
    snapshot: Annotated[
        Path | None,
        typer.Option(help=f"The committed snapshot (JSON or YAML); default: {DEFAULT_SNAPSHOT}."),
    ] = None,
    update: Annotated[bool, typer.Option("--update", help="Rewrite the snapshot.")] = False,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format", help="Report format; `githubactions` annotates, `junit` is a test report."
        ),
    ] = Format.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            help="Exit 1 on breaking changes (ERR, WARN), on any change, or on a level and worse.",
        ),
    ] = FailOn.breaking,
    base: Annotated[
        Path | None, typer.Option(help="Compare two files (JSON or YAML): the old one.")
    ] = None,
    revision: Annotated[Path | None, typer.Option(help="Compare two files: the new one.")] = None,
    severity_levels: Annotated[
        Path | None,
        typer.Option(help="A file of lines `<rule-id> err|warn|info|none` (none: rule off)."),
    ] = None,
    include_checks: Annotated[
        list[str] | None,
        typer.Option(help="Accepted as oasdiff does since v1.27, and ignored: every rule runs."),
    ] = None,
    deprecation_days_stable: Annotated[
        int | None,
        typer.Option(min=0, help="Minimum days from deprecating a stable operation to sunset."),
    ] = None,
    deprecation_days_beta: Annotated[
        int | None,
        typer.Option(min=0, help="Minimum days from deprecating a beta operation to sunset."),
    ] = None,
) -> None:
    """Compare the OpenAPI document with the snapshot; list and classify every change."""
    options = CheckOptions(
        fail_on=fail_on.value,
        severity_levels=_severity_levels(severity_levels),
        deprecation_days_stable=deprecation_days_stable,
        deprecation_days_beta=deprecation_days_beta,
    )
    if include_checks:
        typer.echo(f"Note: {INCLUDE_CHECKS_IGNORED}", err=True)
    if base is not None or revision is not None:
        if app or settings or snapshot or update:
            usage_error(
                "--base/--revision compare two files: drop --app, --settings, --snapshot, --update"
            )
        old_path, new_path = _file_pair(base, revision)
        old, new = read_document(old_path), read_document(new_path)
        labels, hint = (str(old_path), str(new_path)), ""
    else:
        path = snapshot or find_snapshot(DEFAULT_SNAPSHOT)
        new = _current_document(app, settings)
        if update:
            _update(path, new)
            return
        old = read_document(path, missing_hint=_missing_hint(snapshot))
        labels, hint = (str(path), CURRENT), _update_hint(snapshot)
    report = compare(old, new, labels, options, hint)
    _show(report, output_format)
    raise typer.Exit(1 if report.failing else 0)


def compare(
    old: dict[str, Any],
    new: dict[str, Any],
    labels: tuple[str, str],
    options: CheckOptions,
    hint: str = "",
) -> ChangeReport:
    """Diff two documents into a report; a `$ref` that cannot be resolved, or an option the
    differ does not have, is a usage error."""
    try:
        return check_documents(old, new, labels, options, hint)
    except RefResolutionError as error:
        usage_error(f"cannot compare the documents: {error}")
    except UnsupportedOptionError as error:
        usage_error(str(error))


def read_document(path: Path, missing_hint: str = "") -> dict[str, Any]:
    """The OpenAPI document (JSON or YAML) in `path`; missing, unreadable or not an object:
    exit 2."""
    try:
        return load_document(path)
    except MissingInputError as error:
        usage_error(f"{error}{missing_hint}")
    except InputError as error:
        usage_error(str(error))


def find_snapshot(relative: Path, start: Path | None = None) -> Path:
    """`relative` under the current directory or the nearest parent that has it (the way git
    finds `.git`), so the check works from any directory of the project; else under the
    current directory, where `--update` creates it."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / relative).is_file():
            return relative if directory == here else directory / relative
    return relative


def _current_document(app: str | None, settings: str | None) -> dict[str, Any]:
    """The canonical document of the application: this is the step that needs Django."""
    from djgateway.openapi.document import canonical_document

    from .app_loading import load_app, setup_errors
    from .render import progress

    with setup_errors(), progress("Rendering the current OpenAPI document"):
        return canonical_document(load_app(app, settings))


def _severity_levels(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        levels = read_severity_levels(path)
    except InputError as error:
        usage_error(str(error))
    for rule in unknown_rules(levels):
        typer.echo(f"Note: {rule} is not a rule djgateway reports; its level is unused", err=True)
    return dict(levels)


def _missing_hint(snapshot: Path | None) -> str:
    if snapshot is not None:
        return " (create it with --update)"
    return (
        f" (looked in {Path.cwd()} and its parents; run the check from the project that "
        f"commits {DEFAULT_SNAPSHOT}, pass --snapshot FILE, or create it here with --update)"
    )


def _file_pair(base: Path | None, revision: Path | None) -> tuple[Path, Path]:
    if base is None or revision is None:
        usage_error("--base and --revision go together")
    return base, revision


def _update(path: Path, document: dict[str, Any]) -> None:
    from .openapi_cmd import write_text

    try:
        text = render_document(document, path)
    except InputError as error:  # a YAML snapshot without PyYAML
        usage_error(str(error))
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        typer.echo(f"{path} is up to date.")
        return
    write_text(path, text)
    typer.echo(f"Wrote {path}.")


def _update_hint(snapshot: Path | None) -> str:
    flag = f" --snapshot {snapshot}" if snapshot else ""
    return f"If the changes are intended, accept them: djgateway check-openapi --update{flag}"


def _show(report: ChangeReport, output_format: Format) -> None:
    if output_format is Format.text:
        from .render import ChangeTable, print_out

        print_out(ChangeTable(report))
        return
    if output_format is Format.githubactions:
        _append_github_outputs(report)
    typer.echo(render(report, output_format.value), nl=False)


def _append_github_outputs(report: ChangeReport) -> None:
    try:
        append_github_outputs(report)
    except OSError as error:
        usage_error(f"cannot write $GITHUB_OUTPUT: {error.strerror or error}")
