"""The one error body of every djgateway operation: RFC 9457 problem details."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..errors import ApiError

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemFieldError(BaseModel):
    loc: list[str | int] = Field(description='Where the error is, e.g. ["body", "name"].')
    message: str
    code: str = Field(description="A stable, machine-readable error code.")


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="A URI identifying the kind of problem.")
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldError] = Field(default_factory=list)
    event_id: str | None = Field(
        default=None, description="The Sentry event of an unexpected error, when reported."
    )


def problem_body(error: ApiError) -> bytes:
    problem = Problem(
        type=error.type,
        title=error.title,
        status=error.status,
        detail=error.detail,
        errors=[
            ProblemFieldError(loc=list(e.loc), message=e.message, code=e.code) for e in error.errors
        ],
        event_id=error.event_id,
    )
    return problem.model_dump_json(exclude_none=True).encode()
