"""The outcome of a fuzz run: plain data, rendered by the command line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FuzzFailure:
    """One distinct problem, with the requests that reproduce it (as curl commands)."""

    check: str  # the Schemathesis check that failed, e.g. "not_a_server_error"
    code: str  # its failure code, e.g. "ST101" ("" for an error of the run itself)
    title: str
    operation: str  # "GET /api/companies/{company_id}"
    message: str
    reproduction: tuple[str, ...]  # curl commands, oldest first; the last one fails
    response: str = ""  # the failing response: status and the start of its body


@dataclass
class OperationStats:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0


@dataclass
class FuzzReport:
    seed: int
    max_examples: int
    elapsed: float = 0.0
    operations: dict[str, OperationStats] = field(default_factory=dict)
    failures: list[FuzzFailure] = field(default_factory=list)
    links: tuple[int, int] = (0, 0)  # OpenAPI links the stateful phase (used, had)
    authenticated: bool = False  # requests carried a token (reproductions hide it)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def requests(self) -> int:
        return sum(stats.requests for stats in self.operations.values())

    def add_failure(self, failure: FuzzFailure) -> None:
        """Record ``failure`` unless the same problem was already found on that operation."""
        if any(_same(failure, known) for known in self.failures):
            return
        self.failures.append(failure)
        self.operation(failure.operation).failures += 1

    def operation(self, label: str) -> OperationStats:
        return self.operations.setdefault(label, OperationStats())


def _same(one: FuzzFailure, other: FuzzFailure) -> bool:
    return (one.check, one.operation, one.title, one.message) == (
        other.check,
        other.operation,
        other.title,
        other.message,
    )
