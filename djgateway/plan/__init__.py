"""The route plan: pure data built from the model graph, printable and testable without FastAPI."""

from .build import SENSITIVE_NAME, build_plan, left_out_before_reading
from .nesting import Nesting, choose_parents
from .query_surface import QuerySurface
from .types import (
    Action,
    ExplicitSchemas,
    GatewayOptions,
    GatewayPlan,
    Operation,
    ParentLink,
    ResourcePlan,
    ResourceSecurity,
)

__all__ = [
    "SENSITIVE_NAME",
    "Action",
    "ExplicitSchemas",
    "GatewayOptions",
    "GatewayPlan",
    "Nesting",
    "Operation",
    "ParentLink",
    "QuerySurface",
    "ResourcePlan",
    "ResourceSecurity",
    "build_plan",
    "choose_parents",
    "left_out_before_reading",
]
