"""Pydantic v2 schemas: the field→type table, the per-resource factory and the error body."""

from .aggregate import AggregateGroup, AggregateResult
from .factory import ResourceSchemas, build_schemas, field_key
from .fields import python_type, register_field
from .problem import Problem, ProblemFieldError

__all__ = [
    "AggregateGroup",
    "AggregateResult",
    "Problem",
    "ProblemFieldError",
    "ResourceSchemas",
    "build_schemas",
    "field_key",
    "python_type",
    "register_field",
]
