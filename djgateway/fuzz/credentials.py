"""What a token must grant so that fuzzing reaches every operation of a secured gateway."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the plan imports Django; the command line loads this module early
    from ..plan import GatewayPlan


def plan_scopes(plan: GatewayPlan) -> list[str]:
    """Every scope the plan names: those operations require and those fields are read with."""
    scopes: set[str] = set()
    for resource in plan:
        security = resource.security
        for required in security.required.values():
            scopes.update(required.scopes)
        for field_scopes in security.field_scopes.values():
            scopes.update((*(field_scopes.read or ()), *(field_scopes.write or ())))
    return sorted(scopes)
