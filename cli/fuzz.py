"""``djgateway fuzz``: Schemathesis against the API, in process, on a throwaway database.

Without ``--app`` it fuzzes the sandbox, migrated into a temporary SQLite file, seeded with the
demo data, with a token granting every scope. Exit codes: 0 no failure, 1 failures, 2 a usage
or setup error.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from djgateway.fuzz import FuzzFailure, FuzzOptions, FuzzReport
from djgateway.fuzz import Progress as FuzzProgress

from .app_loading import (
    SANDBOX_SETTINGS,
    AppOption,
    SettingsOption,
    SetupError,
    configure_django,
    load_app,
    setup_errors,
    usage_error,
)

FAILED = 1
LOG_WIDTH = 160  # when the output is not a terminal: a CI log keeps whole lines
Reset = Callable[[], None]


def fuzz(
    *,
    app: AppOption = None,
    settings: SettingsOption = None,
    max_examples: Annotated[
        int,
        typer.Option(
            min=1,
            help="Examples per operation and phase (coverage: per parameter; stateful: "
            "scenarios per link).",
        ),
    ] = 20,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the run; the same seed repeats it.")
    ] = None,
    include: Annotated[
        str | None, typer.Option(metavar="PATH_REGEX", help="Only paths matching this.")
    ] = None,
    checks: Annotated[
        list[str] | None,
        typer.Option(help="Schemathesis checks to run (repeat or comma-separate); default: all."),
    ] = None,
    stateful: Annotated[
        bool, typer.Option(help="Follow the OpenAPI links: create, then read/update/delete.")
    ] = True,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="DJGATEWAY_FUZZ_TOKEN",
            help="Sent as Authorization: Bearer; the sandbox gets one minted for the run.",
        ),
    ] = None,
    min_links: Annotated[
        int,
        typer.Option(min=0, help="Fail (exit 1) when the stateful phase follows fewer links."),
    ] = 0,
) -> None:
    """Fuzz every operation with Schemathesis; each failure comes with a curl reproduction."""
    if settings is not None and app is None:
        usage_error("--settings goes with --app; the sandbox uses its own settings")
    names = tuple(name.strip() for value in checks or ["all"] for name in value.split(","))
    options = FuzzOptions(
        max_examples=max_examples,
        seed=seed,
        include=include,
        checks=tuple(name for name in names if name),
        stateful=stateful,
        token=token,
    )
    with setup_errors(), _application(app, settings, options) as (asgi_app, options, reset):
        report = _run(asgi_app, options, reset)
    _print(FuzzSummary(report, min_links))
    if not report.passed or report.links_followed < min_links:
        raise typer.Exit(FAILED)


@contextmanager
def _application(
    reference: str | None, settings: str | None, options: FuzzOptions
) -> Iterator[tuple[Any, FuzzOptions, Reset | None]]:
    if reference is not None:
        yield load_app(reference, settings), options, None
        return
    from djgateway.fuzz.database import sqlite_restorer

    with tempfile.TemporaryDirectory(prefix="djgateway-fuzz-") as directory:
        database = Path(directory) / "fuzz.sqlite3"
        try:
            with _environment(DJGATEWAY_DATABASE_URL=f"sqlite:///{database}"):
                sandbox = _sandbox_app(database)
            token = options.token or _sandbox_token()
            yield sandbox, replace(options, token=token), sqlite_restorer(database)
        finally:
            _close_connections()


def _sandbox_app(database: Path) -> Any:
    """The sandbox, migrated into ``database`` (a new file) and seeded with the demo data."""
    from django.conf import settings
    from django.core.management import call_command

    configure_django(SANDBOX_SETTINGS, sandbox=True)
    if Path(settings.DATABASES["default"]["NAME"]) != database:
        raise SetupError("Django is already set up with another database than a throwaway one")
    call_command("migrate", interactive=False, verbosity=0)
    from djgateway.sandbox.demo import load_demo_data

    load_demo_data()
    return load_app(None, SANDBOX_SETTINGS)


def _sandbox_token() -> str:
    """A token of the demo data's tenant A with every scope the sandbox names."""
    from djgateway.fuzz import plan_scopes
    from djgateway.sandbox.demo import TENANT_A
    from djgateway.sandbox.gateway import SANDBOX_TOKENS, build_gateway

    scopes = " ".join(plan_scopes(build_gateway().plan))
    claims = {"sub": "djgateway-fuzz", "ten": str(TENANT_A), "scope": scopes}
    return str(SANDBOX_TOKENS.mint(claims, expires_in=24 * 3600))


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


def _run(asgi_app: Any, options: FuzzOptions, reset: Reset | None) -> FuzzReport:
    from djgateway.fuzz import FuzzSetupError, MissingDependencyError, prepare_fuzz

    try:
        run = prepare_fuzz(asgi_app, options, reset)
    except (MissingDependencyError, FuzzSetupError) as error:
        usage_error(str(error))
    console = Console(stderr=True)
    if not console.is_terminal:
        return run.execute()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[failures]} failures"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        return run.execute(_progress_updater(progress))


def _progress_updater(progress: Any) -> Callable[[FuzzProgress], None]:
    """One bar per phase, shown once the phase finished a first scenario (phases that
    send nothing, or are skipped, never show)."""
    tasks: dict[str, Any] = {}

    def update(step: FuzzProgress) -> None:
        if step.phase not in tasks:
            if not step.done:
                return
            tasks[step.phase] = progress.add_task(
                step.phase, total=step.total, completed=step.done, failures=step.failures
            )
        task = tasks[step.phase]
        progress.update(task, completed=step.done, total=step.total, failures=step.failures)

    return update


def _print(renderable: Any) -> None:
    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = LOG_WIDTH
    console.print(renderable)


@dataclass(frozen=True)
class FuzzSummary:
    """Operations with their requests and answers, the links the stateful phase followed per
    resource, then each failure with its reproduction."""

    report: FuzzReport
    min_links: int = 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        report = self.report
        yield operations_table(report)
        if report.links:
            yield links_table(report)
        followed, links = report.links_followed, report.links_available
        phases = ", ".join(f"{phase} {count}" for phase, count in report.phases.items())
        yield Text(
            f"{report.requests} requests{f' ({phases})' if phases else ''} in "
            f"{report.elapsed:.1f} s, seed {report.seed}, {report.max_examples} examples per "
            f"operation, {followed}/{links} links followed."
        )
        for number, failure in enumerate(report.failures, 1):
            yield Group(*failure_lines(number, failure))
        yield verdict(report)
        if followed < self.min_links:
            yield Text(
                f"Only {followed} links followed, fewer than --min-links {self.min_links}.",
                style="bold red",
            )


def operations_table(report: FuzzReport) -> Table:
    """Paths wrap rather than being cut: long ones differ only at their end."""
    table = Table(title="Operations", title_justify="left", expand=False)
    table.add_column("method", no_wrap=True)
    table.add_column("path", overflow="fold", ratio=1)
    for column in ("requests", "answers", "failures"):
        table.add_column(column, justify="right")
    for label, stats in sorted(report.operations.items(), key=lambda item: _by_path(item[0])):
        method, _, path = label.partition(" ")
        answers = ", ".join(
            f"{status}: {count}" for status, count in sorted(stats.statuses.items())
        )
        failures = Text(str(stats.failures), style="bold red" if stats.failures else "green")
        table.add_row(method, path, str(stats.requests), answers, failures)
    return table


def links_table(report: FuzzReport) -> Table:
    """Per resource: how many of the links leading to it the stateful phase followed."""
    table = Table(title="Links followed", title_justify="left", expand=False)
    table.add_column("resource", overflow="fold")
    table.add_column("followed", justify="right")
    for resource, stats in sorted(report.links.items()):
        followed = len(stats.followed)
        style = "green" if followed else "bold red"
        table.add_row(resource, Text(f"{followed}/{len(stats.available)}", style=style))
    return table


def _by_path(label: str) -> tuple[str, str]:
    method, _, path = label.partition(" ")
    return path, method


def failure_lines(number: int, failure: FuzzFailure) -> Iterator[Text]:
    code = f"{failure.code} " if failure.code else ""
    yield Text(f"\n{number}. {code}{failure.title} [{failure.check}]", style="bold red")
    yield Text(f"   {failure.operation}", style="bold")
    for line in failure.message.splitlines():
        yield Text(f"   {line}")
    if failure.response:
        yield Text(f"   Response: {failure.response}")
    if failure.reproduction:
        yield Text("   Reproduce with:")
        for command in failure.reproduction:
            yield Text(f"     {command}", style="cyan")


def verdict(report: FuzzReport) -> Text:
    if report.passed:
        return Text("\nNo failures.", style="bold green")
    count = len(report.failures)
    noun = "failure" if count == 1 else "failures"
    text = f"\n{count} {noun}. Run again with --seed {report.seed} to repeat this run."
    if report.authenticated:
        text += "\nThe reproductions hide the token: send Authorization: Bearer <token>."
    return Text(text, style="bold red")
