"""The Typer application: one module per command, wired here."""

from __future__ import annotations

import typer

from . import check_openapi, fuzz, openapi_cmd, routes, serve, token

app = typer.Typer(
    name="djgateway",
    help="Serve, inspect and check a djgateway API.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # `code` in help texts renders as code, not as backticks
)
app.command("serve")(serve.serve)
app.command("routes")(routes.routes)
app.command("openapi")(openapi_cmd.openapi)
app.command("check-openapi")(check_openapi.check_openapi)
app.command("fuzz")(fuzz.fuzz)
app.command("token")(token.token)


@app.callback()
def main() -> None:
    """djgateway: a Django model layer as a typed REST API on FastAPI."""


def run() -> None:
    app()
