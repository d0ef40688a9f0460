"""``djgateway check-openapi``: compare the API with its committed snapshot (or two files).

Exit codes: 0 when nothing fails the check, 1 when something does (`--fail-on`), 2 on usage
errors (bad options, an unreadable snapshot, an application that cannot be loaded).
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from djgateway.openapi import (
    RefResolutionError,
    canonical_json,
    diff_documents,
    has_breaking,
)
from djgateway.openapi.document import canonical_document

from .app_loading import AppOption, SettingsOption, load_app, setup_errors, usage_error
from .openapi_cmd import write_text
from .render import ChangeReport, print_out, progress

DEFAULT_SNAPSHOT = Path("openapi_snapshots/sandbox.json")
CURRENT = "the current API"


class Format(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(enum.StrEnum):
    breaking = "breaking"
    any = "any"


def check_openapi(
    *,
    app: AppOption = None,
    settings: SettingsOption = None,
    snapshot: Annotated[
        Path | None,
        typer.Option(help=f"The committed snapshot; default: {DEFAULT_SNAPSHOT}."),
    ] = None,
    update: Annotated[bool, typer.Option("--update", help="Rewrite the snapshot.")] = False,
    output_format: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.text,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 on breaking changes (ERR, WARN) or on any change.")
    ] = FailOn.breaking,
    base: Annotated[Path | None, typer.Option(help="Compare two files: the old one.")] = None,
    revision: Annotated[Path | None, typer.Option(help="Compare two files: the new one.")] = None,
) -> None:
    """Compare the OpenAPI document with the snapshot; list and classify every change."""
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
        with setup_errors(), progress("Rendering the current OpenAPI document"):
            new = canonical_document(load_app(app, settings))
        if update:
            _update(path, new)
            return
        old = read_document(path, missing_hint=_missing_hint(snapshot))
        labels, hint = (str(path), CURRENT), _update_hint(snapshot)
    report = compare(old, new, labels, fail_on, hint)
    _show(report, output_format)
    raise typer.Exit(1 if report.failing else 0)


def compare(
    old: dict[str, Any], new: dict[str, Any], labels: tuple[str, str], fail_on: str, hint: str
) -> ChangeReport:
    """Diff two documents into a report; a `$ref` that cannot be resolved is a usage error."""
    try:
        changes = diff_documents(old, new)
    except RefResolutionError as error:
        usage_error(f"cannot compare the documents: {error}")
    return ChangeReport(
        changes=tuple(changes),
        base=labels[0],
        revision=labels[1],
        fail_on=fail_on,
        failing=has_breaking(changes, fail_on),
        identical=canonical_json(old) == canonical_json(new),
        hint=hint,
    )


def read_document(path: Path, missing_hint: str = "") -> dict[str, Any]:
    """A JSON OpenAPI document from `path`; missing, unreadable or not an object: exit 2."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        usage_error(f"no such file: {path}{missing_hint}")
    except OSError as error:
        usage_error(f"cannot read {path}: {error.strerror or error}")
    except ValueError as error:
        usage_error(f"{path} is not JSON: {error}")
    if not isinstance(document, dict):
        usage_error(f"{path} is not an OpenAPI document (a JSON object)")
    return document


def find_snapshot(relative: Path, start: Path | None = None) -> Path:
    """`relative` under the current directory or the nearest parent that has it (the way git
    finds `.git`), so the check works from any directory of the project; else under the
    current directory, where `--update` creates it."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / relative).is_file():
            return relative if directory == here else directory / relative
    return relative


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
    text = canonical_json(document)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        typer.echo(f"{path} is up to date.")
        return
    write_text(path, text)
    typer.echo(f"Wrote {path}.")


def _update_hint(snapshot: Path | None) -> str:
    flag = f" --snapshot {snapshot}" if snapshot else ""
    return f"If the changes are intended, accept them: djgateway check-openapi --update{flag}"


def _show(report: ChangeReport, output_format: Format) -> None:
    if output_format is Format.json:
        typer.echo(canonical_json(report.as_json()), nl=False)
    elif output_format is Format.markdown:
        typer.echo(report.markdown(), nl=False)
    else:
        print_out(report)
