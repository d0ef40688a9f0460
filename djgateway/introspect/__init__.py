"""Django ``_meta`` → frozen dataclasses. Imports Django only; no pydantic, no FastAPI."""

from .graph import read_models
from .types import FieldInfo, ModelInfo, RelationInfo

__all__ = ["FieldInfo", "ModelInfo", "RelationInfo", "read_models"]
