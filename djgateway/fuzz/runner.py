"""Run Schemathesis in process against an ASGI app and collect a :class:`FuzzReport`.

Reproducible with a seed: no example database, no cache, one worker (the caller resets the
application's data). ``schemathesis.engine`` is not documented public API, so the version is
pinned in the ``fuzz`` extra and all of it is used here only.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .accepted import FailureFilter, UnstatedFields
from .asgi import ASGIApp, crash_as_500
from .collect import Collector
from .coverage import CoverageBound
from .options import ALL_CHECKS, FuzzOptions, Progress
from .report import FuzzReport
from .stateful import (
    STATEFUL_STEPS,
    Reset,
    customize_state_machine,
    declares_links,
    stateful_groups,
    stateful_scenarios,
)

INSTALL_HINT = "pip install 'djgateway[fuzz]'"
OPENAPI_PATH = "/openapi.json"

ProgressCallback = Callable[[Progress], None]


class MissingDependencyError(ImportError):
    """Schemathesis is not installed."""

    def __init__(self) -> None:
        super().__init__(f"fuzzing needs Schemathesis: {INSTALL_HINT}")


class FuzzSetupError(ValueError):
    """The options or the application's OpenAPI document do not allow a run (one line)."""


def run_fuzz(
    app: ASGIApp,
    options: FuzzOptions,
    progress: ProgressCallback | None = None,
    reset: Reset | None = None,
) -> FuzzReport:
    """Fuzz every operation of ``app`` (matching ``options.include``) and report what failed.

    ``reset`` puts the application's data back as it was; the stateful phase calls it before
    each scenario, so that a seed repeats the run (see :mod:`.stateful`)."""
    return prepare_fuzz(app, options, reset).execute(progress)


def prepare_fuzz(app: ASGIApp, options: FuzzOptions, reset: Reset | None = None) -> FuzzRun:
    """Check the options and load the OpenAPI document; raises the errors a run can meet first."""
    engine = _load_engine()
    seed = random.randrange(2**32) if options.seed is None else options.seed
    return FuzzRun(engine, _load_schema(app, options, seed), seed, options, reset)


@dataclass(frozen=True)
class FuzzRun:
    engine: Any
    schema: Any
    seed: int
    options: FuzzOptions
    reset: Reset | None = None

    def execute(self, progress: ProgressCallback | None = None) -> FuzzReport:
        report = FuzzReport(
            seed=self.seed,
            max_examples=self.options.max_examples,
            authenticated=self.options.token is not None,
        )
        collector = Collector(report, progress, self.schema.statistic.operations.selected)
        started = time.monotonic()
        with _hypothesis_home():
            self.schema.config.phases.update(phases=list(UNIT_PHASES))
            self._run(self.schema, collector)
            if self.options.stateful:
                groups = stateful_groups(self.schema)
                collector.expect_scenarios(
                    sum(stateful_scenarios(self.options.max_examples, g.links) for g in groups)
                )
                for group in groups:
                    self._run_stateful(group.operations, collector)
        report.elapsed = time.monotonic() - started
        return report

    def _run_stateful(self, chain: frozenset[str], collector: Collector) -> None:
        """The stateful phase on one group of linked operations (a company and what it owns):
        on the whole API at once, its scenarios rarely went deeper than the first link."""
        schema = self.schema.include(lambda context: context.operation.label in chain)
        schema.config.phases.update(phases=["stateful"])

        def links_found(links: list[str]) -> None:
            scenarios = stateful_scenarios(self.options.max_examples, len(links))
            schema.config.phases.stateful.generation.max_examples = scenarios
            collector.links_found(links)

        customize_state_machine(schema, self.reset, links_found)
        self._run(schema, collector)

    def _run(self, schema: Any, collector: Collector) -> None:
        for event in self.engine.from_schema(schema).execute():
            collector.handle(event)


UNIT_PHASES = ("examples", "coverage", "fuzzing")


@contextmanager
def _hypothesis_home() -> Iterator[None]:
    """Hypothesis keeps a ``.hypothesis`` folder in the working directory: use a temporary one."""
    from hypothesis import configuration

    with tempfile.TemporaryDirectory(prefix="djgateway-fuzz-") as home:
        configuration.set_hypothesis_home_dir(home)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(None)


def _load_engine() -> Any:
    try:
        import schemathesis.engine
    except ImportError:
        raise MissingDependencyError() from None
    return schemathesis.engine


def _load_schema(app: ASGIApp, options: FuzzOptions, seed: int) -> Any:
    import schemathesis
    from schemathesis.config import ConfigError, SchemathesisConfig

    settings = schemathesis_config(options, seed)
    try:
        config = SchemathesisConfig.from_dict(settings)
        schema: Any = schemathesis.openapi.from_asgi(OPENAPI_PATH, crash_as_500(app), config=config)
    except ConfigError as error:
        raise FuzzSetupError(_one_line(error)) from None
    except Exception as error:  # the app has no (valid) OpenAPI document
        raise FuzzSetupError(f"cannot load {OPENAPI_PATH}: {_one_line(error)}") from None
    if options.include is not None:
        schema = schema.include(path_regex=_checked_regex(options.include))
        if not schema.statistic.operations.selected:
            raise FuzzSetupError(f"--include {options.include!r} matches no operation")
    schema.hooks.register_hook_with_name(FailureFilter(unstated_fields(app)), "filter_failure")
    schema.hooks.register_hook_with_name(CoverageBound(options.max_examples), "filter_case")
    if declares_links(schema):  # the API says how its operations chain: no guessing
        schema.config.phases.stateful.inference.algorithms = []
    schemathesis.openapi.format("phone", phone_numbers())
    return schema


def unstated_fields(app: ASGIApp) -> UnstatedFields:
    """The body fields of a gateway's writes whose validators no schema can state."""
    from djgateway.binding import mounted_plans

    found: set[tuple[str, str, str]] = set()
    for plan, prefix in mounted_plans(app) if hasattr(app, "state") else ():  # type: ignore[arg-type]
        for resource in plan:
            keys = [f.attname for f in resource.fields if f.unstated_validators]
            for operation in resource.operations:
                if operation.action in ("create", "replace", "update"):
                    found.update((operation.method, prefix + operation.path, k) for k in keys)
    return frozenset(found)


def phone_numbers() -> Any:
    """Numbers valid in their numbering plan, for fields documented with ``format: phone``."""
    from hypothesis import strategies

    try:
        import phonenumbers
    except ImportError:  # phonenumbers' own examples for CH, US and GB
        return strategies.sampled_from(["+41212345678", "+12015550123", "+441212345678"])
    examples = (phonenumbers.example_number(region) for region in ("CH", "US", "GB", "DE", "FR"))
    return strategies.sampled_from(
        [phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) for n in examples if n]
    )


def schemathesis_config(options: FuzzOptions, seed: int) -> dict[str, Any]:
    """The Schemathesis configuration of a run (``schemathesis.toml`` keys)."""
    config: dict[str, Any] = {
        "seed": seed,
        "workers": 1,
        "cache": {"enabled": False},
        "base-url": options.base_url,
        # Text never holds NUL (PostgreSQL cannot store it): bodies refuse it with a 422
        # without publishing a pattern, which would garble every documented example.
        "generation": {
            "max-examples": options.max_examples,
            "database": "none",
            "allow-x00": False,
        },
        "phases": {
            "stateful": {
                "enabled": options.stateful,
                "max-steps": STATEFUL_STEPS,
                # Invalid requests are the other phases' job; a chain of valid ones goes deep.
                # The scenarios are counted once the links are known (see FuzzRun.execute).
                "generation": {"mode": "positive", "max-examples": options.max_examples},
            }
        },
        "checks": _checks(options.checks),
    }
    if options.token:
        config["headers"] = {"Authorization": f"Bearer {options.token}"}
    return config


def _checks(names: tuple[str, ...]) -> dict[str, Any]:
    from schemathesis.checks import CHECKS

    if ALL_CHECKS in names:
        return {}
    known = set(CHECKS.get_all_names())
    unknown = sorted(set(names) - known)
    if unknown:
        raise FuzzSetupError(
            f"unknown check(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return {"enabled": False, **{name: {"enabled": True} for name in names}}


def _checked_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise FuzzSetupError(f"--include is not a regular expression: {error}") from None
    return pattern


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
