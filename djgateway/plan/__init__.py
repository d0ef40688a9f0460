"""The route plan: pure data built from the model graph, printable and testable without FastAPI."""

from .build import SENSITIVE_NAME, build_plan
from .nesting import Nesting, choose_parents
from .types import (
    Action,
    ExplicitSchemas,
    GatewayPlan,
    Operation,
    ParentLink,
    ResourcePlan,
)

__all__ = [
    "SENSITIVE_NAME",
    "Action",
    "ExplicitSchemas",
    "GatewayPlan",
    "Nesting",
    "Operation",
    "ParentLink",
    "ResourcePlan",
    "build_plan",
    "choose_parents",
]
