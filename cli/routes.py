"""``djgateway routes``: the route tree of a gateway, or the same as stable JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from djgateway.openapi import canonical_json
from djgateway.plan.describe import describe_plan

from .app_loading import AppOption, SettingsOption, load_served_plan, setup_errors
from .render import RouteTree, print_out


def routes(
    app: AppOption = None,
    settings: SettingsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print stable JSON instead.")] = False,
) -> None:
    """Show every resource and operation: paths, fields, nesting reasons, scopes, queries."""
    with setup_errors():
        description = describe_plan(*load_served_plan(app, settings))
    if as_json:
        typer.echo(canonical_json(description), nl=False)
    else:
        print_out(RouteTree(description))
