"""``djgateway openapi``: print or write the canonical OpenAPI document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from djgateway.openapi import canonical_json
from djgateway.openapi.document import canonical_document

from .app_loading import AppOption, SettingsOption, load_app, setup_errors, usage_error


def openapi(
    app: AppOption = None,
    settings: SettingsOption = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the document to this file instead of stdout.")
    ] = None,
) -> None:
    """Export the canonical OpenAPI document: sorted keys, stable, without volatile values."""
    with setup_errors():
        text = canonical_json(canonical_document(load_app(app, settings)))
    if output is None:
        typer.echo(text, nl=False)
        return
    write_text(output, text)
    typer.echo(f"Wrote {output}")


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path`, creating missing folders; a failure is a usage error (exit 2)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        usage_error(f"cannot write {path}: {error.strerror or error}")
