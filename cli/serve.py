"""``djgateway serve``: run an app with uvicorn (the sandbox on SQLite by default)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

SANDBOX_SETTINGS = "djgateway.sandbox.settings"
SANDBOX_APP = "djgateway.sandbox.gateway:create_app"


def prepare_sandbox() -> None:
    """Migrate the sandbox database and load the demo data on first run."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SANDBOX_SETTINGS)
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from djgateway.sandbox.demo import load_demo_data

    if load_demo_data():
        typer.echo("Loaded the sandbox demo data.")


def serve(
    app: Annotated[
        str | None,
        typer.Option(help="module:attr of an ASGI app or app factory; default: the sandbox."),
    ] = None,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart on code changes.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the API with uvicorn; Swagger UI at /docs."""
    import uvicorn

    target = app or SANDBOX_APP
    if app is None:
        prepare_sandbox()
        typer.echo(
            f"Sandbox API on http://{host}:{port}/api — Swagger UI at http://{host}:{port}/docs"
        )
    uvicorn.run(target, host=host, port=port, reload=reload, workers=workers, factory=app is None)
