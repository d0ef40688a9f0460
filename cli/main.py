"""The Typer application: one module per command, wired here."""

from __future__ import annotations

import typer

from . import serve

app = typer.Typer(
    name="djgateway",
    help="Serve, inspect and check a djgateway API.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve.serve)


@app.callback()
def main() -> None:
    """djgateway: a Django model layer as a typed REST API on FastAPI."""


def run() -> None:
    app()
