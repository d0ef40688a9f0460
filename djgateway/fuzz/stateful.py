"""The stateful phase: scenarios that start from the same data and from the right operations.

Schemathesis builds a Hypothesis state machine whose rules follow the OpenAPI links. Two of its
defaults stop it on a database-backed API:

- Hypothesis replays and extends earlier scenarios and expects the same responses; when rows
  created by an earlier scenario change them, it stops the phase after a few scenarios
  ("inconsistent data generation"). Each scenario therefore starts with ``reset()`` (the
  database as it was before the phase), when the caller can give one.
- Scenarios start from "root" operations, which Schemathesis guesses from field names
  (``category_id`` → a ``Category`` schema); with djgateway's ``CategoryRead`` names it takes
  ``POST /api/products`` for an operation that needs rows it cannot make, and never sends it.
  Here a root is what the links say it is: an operation with links out and none in (creating a
  company, not a department of a random company).

And on the whole API at once, with some eighty rules to choose from, scenarios rarely went
deeper than the first link: the phase runs once per group of operations that one creation
ties together (see :func:`stateful_groups`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

Reset = Callable[[], None]
LinksFound = Callable[[list[str]], None]

#: Steps of a scenario (Schemathesis: 6): create a company, a department and a team, read,
#: update and delete the team, read it again, with room for detours.
STATEFUL_STEPS = 10


def stateful_scenarios(max_examples: int, links: int) -> int:
    """Scenarios of the stateful phase: ``max_examples`` per link it can follow."""
    return max_examples * max(links, 1)


@dataclass(frozen=True)
class StatefulGroup:
    operations: frozenset[str]  # labels: "POST /api/companies"
    links: int  # declared links between them (0: Schemathesis infers them)


def stateful_groups(schema: Any) -> list[StatefulGroup]:
    """One group per operation that creates something: the creations leading to it (company,
    department), the creation itself (a team), and what its links lead to (the team's reads,
    updates and deletion, then the read of the deleted team). Without declared links: every
    operation in one group, with the links Schemathesis infers."""
    from schemathesis.core.result import Ok

    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    if not declares_links(schema):
        return [StatefulGroup(frozenset(op.label for op in operations), 0)]
    by_id = {op.definition.raw.get("operationId"): op.label for op in operations}
    targets: dict[str, list[str]] = {op.label: [] for op in operations}
    for operation in operations:
        for _status, response in operation.responses.items():
            for _name, link in response.iter_links():
                target = by_id.get(link.get("operationId"))
                if target is not None:
                    targets[operation.label].append(target)
    creates = sorted(label for label, found in targets.items() if found and _is_post(label))
    groups = []
    for create in creates:
        group = {create, *_before(create, creates, targets)}
        for target in targets[create]:
            group |= {target, *([] if _is_post(target) else targets[target])}
        links = sum(target in group for source in group for target in targets[source])
        groups.append(StatefulGroup(frozenset(group), links))
    return groups


def _before(create: str, creates: list[str], targets: dict[str, list[str]]) -> set[str]:
    """The creations whose links lead, one after the other, to ``create``."""
    found: set[str] = set()
    pending = [create]
    while pending:
        label = pending.pop()
        for source in creates:
            if label in targets[source] and source not in found:
                found.add(source)
                pending.append(source)
    found.discard(create)
    return found


def _is_post(label: str) -> bool:
    return label.startswith("POST ")


def declares_links(schema: Any) -> bool:
    """Whether the OpenAPI document has ``links`` (djgateway's: create → read, update, …)."""
    paths = schema.raw_schema.get("paths") or {}
    return any(
        response.get("links")
        for item in paths.values()
        if isinstance(item, dict)
        for operation in item.values()
        if isinstance(operation, dict)
        for response in (operation.get("responses") or {}).values()
        if isinstance(response, dict)
    )


def customize_state_machine(schema: Any, reset: Reset | None, links_found: LinksFound) -> None:
    """Make ``schema`` build state machines as described in the module doc.

    ``links_found`` receives the ids of the links the phase can follow (Schemathesis'
    ``"<source> -> [<status>] <name> -> <target>"``), once the machine is built."""
    build = schema.build_state_machine

    def build_state_machine(**kwargs: Any) -> Any:
        with _roots_from_links():
            machine = build(**kwargs)
        links_found(_link_ids(machine))
        if reset is None:
            return machine
        return type(machine.__name__, (machine,), {"__init__": _resetting_init(machine, reset)})

    schema.build_state_machine = build_state_machine


def _resetting_init(machine: Any, reset: Reset) -> Callable[[Any], None]:
    def init(self: Any) -> None:  # Hypothesis makes one machine per scenario
        reset()
        machine.__init__(self)

    return init


def _link_ids(machine: Any) -> list[str]:
    operations = machine._transitions.operations
    return sorted({link.full_name for entry in operations.values() for link in entry.outgoing})


@contextmanager
def _roots_from_links() -> Iterator[None]:
    from schemathesis.specs.openapi import stateful

    classify = stateful.classify_root_transitions
    stateful.classify_root_transitions = _classify_roots
    try:
        yield
    finally:
        stateful.classify_root_transitions = classify


def _classify_roots(operations: list[Any], transitions: Any, graph: Any) -> Any:
    from schemathesis.specs.openapi.stateful import RootTransitions

    roots = RootTransitions()
    for operation in operations:
        entry = transitions.operations.get(operation.label)
        if entry is None or not entry.outgoing:
            continue
        entry_point = not entry.incoming and operation.method in ("post", "get")
        if entry_point and (operation.method == "post" or not operation.path_parameters):
            roots.reliable.add(operation.label)
        else:
            roots.fallback.add(operation.label)
    return roots
