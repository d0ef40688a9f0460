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
class LinkStats:
    """The OpenAPI links into one resource: how many the stateful phase followed."""

    available: set[str] = field(default_factory=set)
    followed: set[str] = field(default_factory=set)


@dataclass
class FuzzReport:
    seed: int
    max_examples: int
    elapsed: float = 0.0
    operations: dict[str, OperationStats] = field(default_factory=dict)
    failures: list[FuzzFailure] = field(default_factory=list)
    links: dict[str, LinkStats] = field(default_factory=dict)  # by resource (collection path)
    phases: Counter[str] = field(default_factory=Counter)  # requests per phase
    authenticated: bool = False  # requests carried a token (reproductions hide it)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def requests(self) -> int:
        return sum(stats.requests for stats in self.operations.values())

    @property
    def links_followed(self) -> int:
        return sum(len(stats.followed) for stats in self.links.values())

    @property
    def links_available(self) -> int:
        return sum(len(stats.available) for stats in self.links.values())

    def add_links(self, links: list[str]) -> None:
        """Links the stateful phase can follow (Schemathesis' ids: ``source -> [201] name ->
        target``)."""
        for link in links:
            self.links.setdefault(link_resource(link), LinkStats()).available.add(link)

    def follow_link(self, link: str) -> None:
        stats = self.links.setdefault(link_resource(link), LinkStats())
        stats.available.add(link)
        stats.followed.add(link)

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


def link_resource(link: str) -> str:
    """The collection a link leads to: ``… -> GET /api/companies/{company_id}`` →
    ``/api/companies``."""
    target = link.rsplit(" -> ", 1)[-1]
    path = target.partition(" ")[2].partition(":")[0]
    segments = path.split("/")
    if len(segments) > 2 and segments[-1].startswith("{"):
        segments.pop()
    return "/".join(segments)
