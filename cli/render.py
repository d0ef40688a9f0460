"""Everything the command line shows, and the only module that imports rich.

Each renderable is plain data plus one `__rich_console__`; tests compare the exact text that
`render_text(renderable, width)` gives (no colour, fixed width).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from djgateway.openapi.formats import ChangeReport, where

PIPE_WIDTH = 160  # piped output (files, CI logs) need not fit a terminal
NONE = "none"
DASH = "-"


def print_out(renderable: RenderableType) -> None:
    """Print to stdout: styled on a terminal; else plain, $COLUMNS or `PIPE_WIDTH` wide."""
    console = Console()
    if console.is_terminal:
        console.print(renderable)
    else:
        width = console.width if os.environ.get("COLUMNS") else PIPE_WIDTH
        typer.echo(render_text(renderable, width), nl=False)


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner with `message` on stderr while a slow step runs, when stderr is a terminal
    (nothing otherwise: pipes and CI logs get only the result)."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(f"{message}…"):
        yield


def render_text(renderable: RenderableType, width: int) -> str:
    """The exact plain text of `renderable` at `width` columns, without trailing spaces."""
    output = io.StringIO()
    console = Console(file=output, width=width, color_system=None, force_terminal=False)
    console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in output.getvalue().splitlines())


# --- djgateway routes --------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteTree:
    """The route plan (as `describe_plan` gives it) as a tree: resources nest under parents."""

    description: dict[str, Any]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        resources = self.description["resources"]
        operations = sum(len(_served(resource)) for resource in resources)
        tree = Tree(Text(f"{len(resources)} resources, {operations} operations"))
        self._add_children(tree, None, "")
        yield tree
        for warning in self.description.get("warnings", []):
            yield Text(f"warning {warning['code']}: {warning['message']}")

    def _add_children(self, node: Tree, parent: str | None, prefix: str) -> None:
        """Add the resources under `parent`; operation paths are shown after `prefix`."""
        for resource in self.description["resources"]:
            if resource["parent"] == parent:
                branch = node.add(_resource_label(resource))
                branch.add(_details(resource))
                branch.add(_fields(resource["fields"]))
                branch.add(_operations(_served(resource), prefix))
                self._add_children(branch, resource["key"], resource["item_path"])


def _served(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """The generated operations, then the custom ones (`Gateway.action`)."""
    return [*resource["operations"], *resource.get("actions", ())]


def _resource_label(resource: dict[str, Any]) -> Text:
    segment = resource["key"].rpartition(".")[2]
    return Text.assemble((segment, "bold"), "  ", resource["model"])


def _details(resource: dict[str, Any]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    parameters = [*resource["path_parameters"], resource["id_param"]]
    grid.add_row("path", resource["item_path"])
    grid.add_row("parameters", ", ".join(f"{p['name']}: {p['type']}" for p in parameters))
    grid.add_row("nesting", resource["nesting"])
    hidden = [f"{entry['name']}: {entry['reason']}" for entry in resource["hidden"]]
    grid.add_row("hidden", "\n".join(hidden) or DASH)
    grid.add_row("row filter", resource["row_filter"] or NONE)
    grid.add_row("tenant field", resource["tenant_field"] or NONE)
    read_path = resource["read_path"]
    reasons = "".join(f"\n  {reason}" for reason in read_path["reasons"])
    grid.add_row("reads", f"{read_path['path']}{reasons}")
    for name, value in _query_rows(resource["query"]):
        grid.add_row(name, value)
    return grid


def _query_rows(query: dict[str, Any]) -> list[tuple[str, str]]:
    default = ", ".join(query["default_ordering"])
    filters = "\n".join(f"{f['name']}: {' '.join(f['operators'])}" for f in query["filters"])
    aggregate = "\n".join(f"{a['name']}: {' '.join(a['functions'])}" for a in query["aggregate"])
    return [
        ("filters", filters or DASH),
        ("ordering", f"{_listed(query['ordering'])} (default: {default or DASH})"),
        ("search", _listed(f"{s['name']} ({s['mode']})" for s in query["search"])),
        ("aggregate", aggregate or DASH),
        ("group by", _listed(query["group_by"])),
        ("page size", f"{query['page_size']} (max {query['max_page_size']})"),
    ]


def _fields(fields: list[dict[str, Any]]) -> Table:
    table = _table("field", "type", "access", "scopes")
    for field in fields:
        scopes = field["scopes"]
        shown = [f"{kind}: {' '.join(names)}" for kind, names in scopes.items() if names]
        table.add_row(field["name"], field["type"], field["access"], "; ".join(shown) or DASH)
    return table


def _operations(operations: list[dict[str, Any]], prefix: str) -> Table:
    table = _table("method", "path", "status", "scopes", "operationId")
    for op in operations:
        path = op["path"].removeprefix(prefix)
        path = f"…{path}" if prefix else path
        scopes = op["scopes"]
        shown = [*scopes["own"], *(f"{name} (inherited)" for name in scopes["inherited"])]
        status = str(op["status"])
        table.add_row(op["method"], path, status, _listed(shown, NONE), op["operation_id"])
    return table


def _table(*headers: str) -> Table:
    """A borderless table whose cells fold (never truncate) when the terminal is narrow."""
    table = Table(box=None, padding=(0, 2, 0, 0), pad_edge=False, header_style="bold")
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _listed(values: Iterable[str], empty: str = DASH) -> str:
    return ", ".join(values) or empty


# --- djgateway check-openapi -------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeTable:
    """The `text` format of a check: a table of the changes, the summary, and the hint."""

    report: ChangeReport

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        if report.changes:
            yield self._table()
        yield Text(report.summary())
        if report.failing and report.hint:
            yield Text(report.hint)

    def _table(self) -> Table:
        table = Table(header_style="bold")
        for header in ("level", "rule", "where", "message"):
            table.add_column(header, overflow="fold")
        for change in self.report.changes:
            table.add_row(change.level.value, change.rule, where(change), change.message)
        return table
