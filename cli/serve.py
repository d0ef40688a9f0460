"""``djgateway serve``: run an app with uvicorn (the sandbox on SQLite by default).

`--app` and `--settings` work as for the other commands: the target (a Gateway, a FastAPI
app or a factory of either, looked up from the current directory too) is loaded before
uvicorn starts, so a setup problem is one line and exit 2 instead of a server traceback.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .app_loading import AppOption, SettingsOption, load_app, setup_errors

SANDBOX_SETTINGS = "djgateway.sandbox.settings"
SANDBOX_APP = "djgateway.sandbox.gateway:create_app"
# Worker processes (`--workers`, `--reload`) import the app themselves: through this factory,
# which reads what the parent process was told.
SERVED_APP = "djgateway.cli.serve:served_app"
APP_VARIABLE = "DJGATEWAY_SERVE_APP"


def prepare_sandbox(settings: str | None = None) -> None:
    """Migrate the sandbox database and load the demo data on first run."""
    import django
    from django.core.management import call_command

    if settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SANDBOX_SETTINGS)
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from djgateway.sandbox.demo import load_demo_data

    if load_demo_data():
        typer.echo("Loaded the sandbox demo data.")


def served_app() -> object:
    """The app a worker process serves (`--workers` > 1 or `--reload`)."""
    return load_app(os.environ.get(APP_VARIABLE) or None, os.environ.get("DJANGO_SETTINGS_MODULE"))


def serve(
    *,
    app: AppOption = None,
    settings: SettingsOption = None,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart on code changes.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the API with uvicorn; Swagger UI at /docs."""
    import uvicorn

    with setup_errors():
        if app is None:
            prepare_sandbox(settings)
        application = load_app(app, settings)
    if app is None:
        typer.echo(
            f"Sandbox API on http://{host}:{port}/api — Swagger UI at http://{host}:{port}/docs"
        )
    if workers == 1 and not reload:
        uvicorn.run(application, host=host, port=port)
        return
    os.environ[APP_VARIABLE] = app or ""
    uvicorn.run(SERVED_APP, host=host, port=port, reload=reload, workers=workers, factory=True)
