"""The body of ``GET …:aggregate/{function}/{field}``."""

from __future__ import annotations

from pydantic import BaseModel, Field, JsonValue


class AggregateGroup(BaseModel):
    key: dict[str, JsonValue] = Field(description="The group_by values of this group.")
    value: JsonValue


class AggregateResult(BaseModel):
    function: str
    field: str
    value: JsonValue = Field(default=None, description="The result when there is no group_by.")
    groups: list[AggregateGroup] = Field(
        default_factory=list, description="One entry per group, ordered by the group_by values."
    )
    truncated: bool = Field(
        default=False, description="True when there were more groups than the cap."
    )
