"""A bound on Schemathesis' coverage phase, which ignores ``max-examples``.

The coverage phase sends every boundary and wrong-type value its schema suggests: about 17
requests per query parameter, so a list with sixty filters got a thousand requests whatever
``--max-examples`` said. This ``filter_case`` hook keeps, per operation, parameter and mode
(valid / invalid), at most ``max_examples`` cases, each of a different kind (the first
near-boundary number, the first number above the maximum, the first wrong type, …). Probes
of the request's shape (unknown methods, content types) are few and always kept.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

#: Coverage scenarios about the request as a whole, bounded by Schemathesis itself.
SHAPE_PROBES = frozenset(
    {"unspecified_http_method", "malformed_content_type", "unsupported_content_type"}
)


class CoverageBound:
    """A ``filter_case`` hook; one instance per run (it counts what it kept)."""

    def __init__(self, max_examples: int) -> None:
        self.max_examples = max_examples
        self.kept: defaultdict[tuple[Any, ...], set[str]] = defaultdict(set)

    def __call__(self, context: Any, case: Any) -> bool:
        meta = case.meta
        if meta is None or meta.phase.name.value != "coverage":
            return True
        data = meta.phase.data
        scenario = data.scenario.value
        if scenario in SHAPE_PROBES:
            return True
        location = data.parameter_location
        key = (case.operation.label, location, data.parameter, meta.generation.mode.value)
        kinds = self.kept[key]
        if scenario in kinds or len(kinds) >= self.max_examples:
            return False
        kinds.add(scenario)
        return True
