"""The `Change` record produced by the differ, plus small helpers over lists of changes."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Direction = Literal["request", "response", "none"]


class Level(enum.StrEnum):
    """oasdiff severity: ERR is definitely breaking, WARN possibly breaking, INFO not breaking."""

    ERR = "ERR"
    WARN = "WARN"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        """2 for ERR, 1 for WARN, 0 for INFO."""
        return _RANKS[self]


_RANKS = {Level.ERR: 2, Level.WARN: 1, Level.INFO: 0}


@dataclass(frozen=True)
class Change:
    """One detected difference between two OpenAPI documents."""

    rule: str
    level: Level
    direction: Direction
    path: str
    method: str
    location: str
    message: str

    @property
    def breaking(self) -> bool:
        """ERR and WARN changes may break existing clients."""
        return self.level is not Level.INFO

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """The deterministic report order: path, method, location, rule, message."""
        return (self.path, self.method, self.location, self.rule, self.message)


@dataclass(frozen=True)
class DiffOptions:
    """Settings of `diff_documents`; the defaults are oasdiff's.

    `deprecation_days_stable` / `deprecation_days_beta` (oasdiff's `--deprecation-days-stable`
    and `--deprecation-days-beta`): when positive, deprecating a stable (or unlabelled) / beta
    operation or parameter needs an `x-sunset` at least that many days ahead. `today` is the
    clock sunset dates are compared with (injectable for tests).
    """

    deprecation_days_stable: int = 0
    deprecation_days_beta: int = 0
    today: Callable[[], datetime.date] = datetime.date.today


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    """Return `changes` in report order, without duplicates."""
    return sorted(set(changes), key=Change.sort_key)


def summarize(changes: Iterable[Change]) -> dict[str, int]:
    """Count changes per level; every level is present, ERR first."""
    counts = {level.value: 0 for level in Level}
    for change in changes:
        counts[change.level.value] += 1
    return counts


def has_breaking(changes: Iterable[Change], fail_on: str) -> bool:
    """Whether `changes` should fail a check.

    `fail_on` is "breaking" (ERR or WARN), "any" (any change at all), or a level name
    ("ERR", "WARN", "INFO") meaning that level or worse.
    """
    threshold = _threshold(fail_on)
    return any(change.level.rank >= threshold for change in changes)


def _threshold(fail_on: str) -> int:
    key = fail_on.strip().upper()
    if key == "BREAKING":
        return Level.WARN.rank
    if key == "ANY":
        return Level.INFO.rank
    if key in Level.__members__:
        return Level[key].rank
    raise ValueError(f"fail_on must be 'breaking', 'any', 'ERR', 'WARN' or 'INFO', not {fail_on!r}")
