"""Find the application a command works on: `--app module:attr` and `--settings`.

The target is a `Gateway`, a FastAPI app, or a factory (a callable taking no arguments)
returning either. Without `--app`, the sandbox is used with the settings
`djgateway.sandbox.settings`, unless `--settings` or `DJANGO_SETTINGS_MODULE` say otherwise.
Django is set up without touching a database: the plan and the OpenAPI document need none.
As with uvicorn, modules are also looked up in the current directory.

Every setup error is reported as one line on stderr with exit code 2 (`SetupError`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeAlias

import typer

if TYPE_CHECKING:  # imported where used: `check-openapi --base/--revision` needs neither
    from fastapi import FastAPI

    from djgateway import Gateway
    from djgateway.plan import GatewayPlan

SANDBOX_SETTINGS = "djgateway.sandbox.settings"
SANDBOX_GATEWAY = "djgateway.sandbox.gateway:build_gateway"
SANDBOX_APP = "djgateway.sandbox.gateway:create_app"
USAGE_ERROR = 2

Target: TypeAlias = "Gateway | FastAPI"

AppOption = Annotated[
    str | None,
    typer.Option(
        help="module:attr of a Gateway, a FastAPI app or a factory of either; default: the sandbox."
    ),
]
SettingsOption = Annotated[
    str | None,
    typer.Option(help="Django settings module; default: $DJANGO_SETTINGS_MODULE or the sandbox's."),
]


class SetupError(Exception):
    """The application cannot be found or set up; the message is one line for the user."""


@contextmanager
def setup_errors() -> Iterator[None]:
    """Turn setup errors (also those raised lazily by a gateway) into one line and exit 2."""
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

    from djgateway import ConfigurationError

    try:
        yield
    except SetupError as error:
        usage_error(str(error))
    except ConfigurationError as error:
        usage_error(f"the gateway is misconfigured: {error}")
    except (ImproperlyConfigured, AppRegistryNotReady) as error:
        usage_error(_django_problem(error))
    except LookupError as error:  # "No installed app with label 'billing'."
        if isinstance(error, KeyError | IndexError):
            raise
        usage_error(f"the gateway names an unknown app: {_one_line(error)}")


def load_gateway(app: str | None, settings: str | None) -> Gateway:
    """The `Gateway` named by `--app` (default: the sandbox's); a FastAPI app is refused."""
    from djgateway import Gateway

    target = load_target(app or SANDBOX_GATEWAY, settings, sandbox=app is None)
    if not isinstance(target, Gateway):
        raise SetupError(
            f"{app} is a FastAPI app, but this command reads the route plan: "
            "pass the Gateway (or a factory returning it) with --app"
        )
    return target


def load_plan(app: str | None, settings: str | None) -> GatewayPlan:
    """The route plan of the gateway named by `--app`."""
    return load_gateway(app, settings).plan


def load_served_plan(app: str | None, settings: str | None) -> tuple[GatewayPlan, str]:
    """The route plan named by `--app` (default: the sandbox as served) and the prefix its
    paths are served under: a Gateway is served at `/`, an app built by `Gateway.app()`
    under its prefix."""
    from djgateway import Gateway
    from djgateway.binding import mounted_plans

    target = load_target(app or SANDBOX_APP, settings, sandbox=app is None)
    if isinstance(target, Gateway):
        return target.plan, ""

    mounted = mounted_plans(target)
    if len(mounted) != 1:
        how = "with several gateways" if mounted else "not built by Gateway.app()"
        raise SetupError(
            f"{app} is a FastAPI app {how}: pass the Gateway (or a factory returning it) with --app"
        )
    return mounted[0]


def load_app(app: str | None, settings: str | None) -> FastAPI:
    """The FastAPI app named by `--app` (default: the sandbox's); a gateway is served at `/`."""
    from djgateway import Gateway

    target = load_target(app or SANDBOX_APP, settings, sandbox=app is None)
    return target.app() if isinstance(target, Gateway) else target


def load_target(reference: str, settings: str | None, *, sandbox: bool = False) -> Target:
    """Set Django up, import `module:attr`, call it when it is a factory, check what it is."""
    from fastapi import FastAPI

    from djgateway import Gateway
    from djgateway.references import UnresolvedReferenceError, call_factory, resolve

    targets = (Gateway, FastAPI)
    module_name, attribute = _split(reference)
    _importable_from_cwd()
    configure_django(settings or os.environ.get("DJANGO_SETTINGS_MODULE"), sandbox=sandbox)
    try:
        found = resolve(module_name, attribute)
        if not isinstance(found, targets) and callable(found):
            found = call_factory(found, reference)
    except UnresolvedReferenceError as error:
        raise SetupError(str(error)) from None
    if not isinstance(found, targets):
        kind = type(found).__name__
        raise SetupError(f"{reference} is not a Gateway, a FastAPI app or a factory (it is {kind})")
    return found


def configure_django(settings: str | None, *, sandbox: bool = False) -> None:
    """`django.setup()` with `settings` (the sandbox's when none is given for the sandbox)."""
    import django
    from django.apps import apps
    from django.conf import settings as django_settings

    module = settings or (SANDBOX_SETTINGS if sandbox else None)
    if apps.ready:
        _check_same_settings(module, django_settings.SETTINGS_MODULE)
        return
    if module is None:
        return  # the app module may set Django up itself (as the sandbox's create_app does)
    os.environ["DJANGO_SETTINGS_MODULE"] = module
    try:
        django.setup()
    except ImportError as error:
        raise SetupError(f"cannot set Django up with settings {module!r}: {error}") from None


def _check_same_settings(wanted: str | None, active: str | None) -> None:
    if wanted and active and wanted != active:
        raise SetupError(f"Django is already set up with {active!r}, not {wanted!r}")


def _importable_from_cwd() -> None:
    """Like uvicorn and `manage.py`: modules of the current project can be named."""
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)


def _split(reference: str) -> tuple[str, str]:
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise SetupError(f"--app must look like module:attribute, not {reference!r}")
    return module_name, attribute


def _django_problem(error: Exception) -> str:
    from django.conf import settings

    if not settings.configured:
        return "Django is not configured: pass --settings or set DJANGO_SETTINGS_MODULE"
    return f"Django is not set up correctly: {_one_line(error)}"


def _one_line(error: BaseException) -> str:
    text = str(error.args[0]) if len(error.args) == 1 else str(error)
    return " ".join(text.split())


def usage_error(message: str) -> NoReturn:
    """Report `message` as one line on stderr and exit with code 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(USAGE_ERROR)
