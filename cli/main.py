"""The Typer application: one module per command, imported only when that command runs.

Commands load Django, FastAPI or schemathesis; `check-openapi --base/--revision` needs none of
them, so `djgateway <command>` imports the module of `<command>` alone (`--help` lists all).
"""

from __future__ import annotations

import importlib
from typing import Any, Literal

import typer
from typer.core import TyperGroup

# command -> (module of this package, function); in the order `--help` lists them
COMMANDS = {
    "serve": ("serve", "serve"),
    "routes": ("routes", "routes"),
    "openapi": ("openapi_cmd", "openapi"),
    "check-openapi": ("check_openapi", "check_openapi"),
    "fuzz": ("fuzz", "fuzz"),
    "token": ("token", "token"),
}
MARKUP: Literal["markdown"] = "markdown"  # `code` in help texts renders as code, not as backticks


class LazyCommands(TyperGroup):
    """A group whose commands are built from their module on first use.

    (`ctx` and the commands are click's types, which typer vendors from 0.2x on: `Any` fits
    every typer version the dependency allows.)"""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and args[0] not in COMMANDS:
            for name in COMMANDS:  # an unknown command: "Did you mean ...?" needs them all
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = _build(cmd_name)
        return self.commands.get(cmd_name)


def _build(name: str) -> Any:
    module_name, function = COMMANDS[name]
    module = importlib.import_module(f"{__package__}.{module_name}")
    single = typer.Typer(add_completion=False, rich_markup_mode=MARKUP)
    single.command(name)(getattr(module, function))
    return typer.main.get_command(single)


app = typer.Typer(
    name="djgateway",
    cls=LazyCommands,
    help="Serve, inspect and check a djgateway API.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=MARKUP,
)


@app.callback()
def main() -> None:
    """djgateway: a Django model layer as a typed REST API on FastAPI."""


def run() -> None:
    app()
