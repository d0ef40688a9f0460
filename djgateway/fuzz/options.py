"""What a fuzz run is asked to do, and what it tells while it runs."""

from __future__ import annotations

from dataclasses import dataclass

#: The Schemathesis checks a run uses when none are named: all of them.
ALL_CHECKS = "all"


@dataclass(frozen=True)
class FuzzOptions:
    max_examples: int = 20  # per operation and phase
    seed: int | None = None  # None: a random seed, reported so the run can be repeated
    include: str | None = None  # a regular expression on the path template
    checks: tuple[str, ...] = (ALL_CHECKS,)
    stateful: bool = True  # follow the OpenAPI links: create, then read / update / delete
    token: str | None = None  # sent as "Authorization: Bearer <token>"
    base_url: str = "http://127.0.0.1:8000"  # shown in the reproductions (as `djgateway serve`)


@dataclass(frozen=True)
class Progress:
    """One step of a run: ``done`` of ``total`` operations of a phase are finished."""

    phase: str
    done: int
    total: int
    failures: int
