"""One check of two documents, with oasdiff's options: the differ's own options (deprecation
days), levels overridden or rules turned off by a `--severity-levels` file, and the verdict
of `--fail-on`. Standard library only: `djgateway check-openapi --base/--revision` and
`python -m djgateway.openapi` both run this.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .canonical import canonical_json
from .changes import Change, Level, has_breaking
from .diff import diff_documents
from .formats import ChangeReport
from .rules import RULE_LEVELS

Document = dict[str, Any]
INCLUDE_CHECKS_IGNORED = (
    "--include-checks is ignored: every rule runs (oasdiff retired optional checks in v1.27); "
    "use --severity-levels to change a rule's level or turn it off"
)


class UnsupportedOptionError(ValueError):
    """The differ in use has no such option; the message is one line for the user."""


@dataclass(frozen=True)
class CheckOptions:
    """How to run and judge one comparison."""

    fail_on: str = "breaking"  # breaking, any, ERR, WARN or INFO
    severity_levels: Mapping[str, Level | None] = field(default_factory=dict)  # None: off
    deprecation_days_stable: int | None = None
    deprecation_days_beta: int | None = None

    def differ_options(self) -> dict[str, int]:
        """The options meant for the differ itself, only those given."""
        given = {
            "deprecation_days_stable": self.deprecation_days_stable,
            "deprecation_days_beta": self.deprecation_days_beta,
        }
        return {name: value for name, value in given.items() if value is not None}


def check_documents(
    base: Document,
    revision: Document,
    labels: tuple[str, str],
    options: CheckOptions | None = None,
    hint: str = "",
) -> ChangeReport:
    """Compare `base` with `revision` (named by `labels` in the report) and judge the result.

    Raises `RefResolutionError` for a `$ref` that points nowhere and `UnsupportedOptionError`
    for a differ option the differ does not have."""
    options = options or CheckOptions()
    changes = diff_with_options(base, revision, options)
    changes = apply_severity_levels(changes, options.severity_levels)
    return ChangeReport(
        changes=tuple(changes),
        base=labels[0],
        revision=labels[1],
        fail_on=options.fail_on,
        failing=has_breaking(changes, options.fail_on),
        identical=base == revision and canonical_json(base) == canonical_json(revision),
        hint=hint,
    )


def apply_severity_levels(
    changes: Iterable[Change], levels: Mapping[str, Level | None]
) -> list[Change]:
    """`changes` with the levels of `levels` (oasdiff's `--severity-levels`); a rule mapped to
    `None` (`none` in the file) is dropped."""
    graded = []
    for change in changes:
        level = levels.get(change.rule, change.level)
        if level is not None:
            graded.append(
                change if level is change.level else dataclasses.replace(change, level=level)
            )
    return graded


def unknown_rules(levels: Mapping[str, Level | None]) -> list[str]:
    """Rule ids of a severity-levels file that this differ never reports (typos, or oasdiff
    rules it does not implement)."""
    return sorted(rule for rule in levels if rule not in RULE_LEVELS)


def diff_with_options(base: Document, revision: Document, options: CheckOptions) -> list[Change]:
    """`diff_documents`, passing the differ's options only when some are given, so that this
    works with a differ that takes `options=` and with one that does not."""
    wanted = options.differ_options()
    if not wanted:
        return diff_documents(base, revision)
    differ: Callable[..., list[Change]] = diff_documents
    return differ(base, revision, options=_differ_options(wanted))


def _differ_options(wanted: dict[str, int]) -> Any:
    """The `options` argument of `diff_documents` holding `wanted`.

    Assumed shape: `diff_documents(base, revision, options=...)` where `options` is a
    dataclass with fields named as `wanted`'s keys (`deprecation_days_stable`, ...); the class
    is found from the annotation, else among the dataclasses named `*Options` of
    `djgateway.openapi.diff` and `.changes`. A differ without it is an `UnsupportedOptionError`.
    """
    flags = ", ".join(f"--{name.replace('_', '-')}" for name in sorted(wanted))
    if "options" not in inspect.signature(diff_documents).parameters:
        raise UnsupportedOptionError(f"this version of the differ does not support {flags}")
    for candidate in _option_classes():
        names = {each.name for each in dataclasses.fields(candidate)}
        if wanted.keys() <= names:
            return candidate(**wanted)
    raise UnsupportedOptionError(f"the differ's options do not include {flags}")


def _option_classes() -> list[type]:
    try:
        annotation = typing.get_type_hints(diff_documents).get("options")
    except (NameError, TypeError):  # an annotation imported only for type checkers
        annotation = None
    found = [*typing.get_args(annotation), annotation]
    for module_name in ("djgateway.openapi.diff", "djgateway.openapi.changes"):
        module = sys.modules.get(module_name)
        names = vars(module) if module else {}
        found.extend(value for name, value in names.items() if name.endswith("Options"))
    return [each for each in found if isinstance(each, type) and dataclasses.is_dataclass(each)]
