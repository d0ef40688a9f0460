"""Startup problems collected in one pass, then raised together (like Django's checks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ConfigurationError, Problem


class Problems:
    def __init__(self, found: list[Problem] | None = None) -> None:
        self.found: list[Problem] = list(found or ())
        self.clashes: set[frozenset[str]] = set()  # models already reported as clashing

    def add(self, code: str, message: str) -> None:
        """An error (``djgateway.E0xx``) or a warning (``W0xx``): the code says which."""
        self.found.append(Problem(code, message))

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Record a ``ConfigurationError`` raised inside and go on with the next item."""
        try:
            yield
        except ConfigurationError as error:
            self.found.extend(error.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.found if not problem.is_error)

    def raise_errors(self) -> None:
        errors = tuple(problem for problem in self.found if problem.is_error)
        if errors:
            error = ConfigurationError.of(errors)
            error.warnings = self.warnings  # reported with the errors by djgateway.checks
            raise error
