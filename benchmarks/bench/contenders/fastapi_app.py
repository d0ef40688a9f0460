"""Hand-written FastAPI routes over the Django ORM: what a team writes without a gateway.

Sync endpoints (FastAPI's thread pool), pydantic response models validated from model
instances, and djfapi's ``request_signalling`` around every endpoint so Django's connection
handling runs in the thread that uses the ORM.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from django.core import signals
from django.db import transaction
from fastapi import FastAPI, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from .common import DEFAULT_PAGE, MAX_PAGE, encode_cursor, setup_django

setup_django()

from djgateway.sandbox.business.models import (  # noqa: E402
    Company,
    CompanyDepartment,
    CompanyDepartmentTeam,
)

T = TypeVar("T", bound=Callable[..., Any])
OrderBy = Literal["id", "name", "founded", "-id", "-name", "-founded"]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def request_signalling(endpoint: T) -> T:
    """Send Django's request signals around a sync endpoint, in its thread (as djfapi did)."""

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        signals.request_started.send(sender=None)
        try:
            return endpoint(*args, **kwargs)
        finally:
            signals.request_finished.send(sender=None)

    return wrapper  # type: ignore[return-value]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CompanyOut(Out):
    id: int
    tenant_id: uuid.UUID
    name: str
    founded: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class DepartmentOut(Out):
    id: int
    company_id: int
    name: str


class TeamOut(Out):
    id: int
    department_id: int
    name: str
    headcount: int


class CompanyPage(BaseModel):
    items: list[CompanyOut]
    next_cursor: str | None


class DepartmentPage(BaseModel):
    items: list[DepartmentOut]
    next_cursor: str | None


class TeamPage(BaseModel):
    items: list[TeamOut]
    next_cursor: str | None


class DepartmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)


class TeamPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=100)
    headcount: int | None = Field(default=None, ge=0, le=2147483647)


def _window(rows: list[Any], limit: int, order: str) -> tuple[list[Any], str | None]:
    """The page and, when there is more, a cursor on the last row's ordering values."""
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor([getattr(last, order.lstrip("-")), last.pk])


def _not_found() -> HTTPException:
    return HTTPException(status_code=404, detail="Not found.")


app = FastAPI(title="hand-written FastAPI")


@app.get("/api/companies")
@request_signalling
def list_companies(
    order_by: OrderBy = "id", limit: Limit = DEFAULT_PAGE, name__istartswith: str | None = None
) -> CompanyPage:
    queryset = Company.objects.order_by(order_by, "id")
    if name__istartswith:
        queryset = queryset.filter(name__istartswith=name__istartswith)
    rows, cursor = _window(list(queryset[: limit + 1]), limit, order_by)
    return CompanyPage(items=[CompanyOut.model_validate(r) for r in rows], next_cursor=cursor)


@app.get("/api/companies/{company_id}")
@request_signalling
def get_company(company_id: int) -> CompanyOut:
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        raise _not_found()
    return CompanyOut.model_validate(company)


@app.get("/api/companies/{company_id}/departments")
@request_signalling
def list_departments(company_id: int, limit: Limit = DEFAULT_PAGE) -> DepartmentPage:
    if not Company.objects.filter(pk=company_id).exists():
        raise _not_found()
    queryset = CompanyDepartment.objects.filter(company_id=company_id).order_by("id")
    rows, cursor = _window(list(queryset[: limit + 1]), limit, "id")
    return DepartmentPage(items=[DepartmentOut.model_validate(r) for r in rows], next_cursor=cursor)


@app.post("/api/companies/{company_id}/departments", status_code=201)
@request_signalling
def create_department(company_id: int, payload: DepartmentIn, response: Response) -> DepartmentOut:
    with transaction.atomic():
        if not Company.objects.filter(pk=company_id).exists():
            raise _not_found()
        department = CompanyDepartment.objects.create(company_id=company_id, name=payload.name)
    response.headers["Location"] = f"/api/companies/{company_id}/departments/{department.pk}"
    return DepartmentOut.model_validate(department)


@app.get("/api/companies/{company_id}/departments/{department_id}/teams")
@request_signalling
def list_teams(company_id: int, department_id: int, limit: Limit = DEFAULT_PAGE) -> TeamPage:
    parent = CompanyDepartment.objects.filter(pk=department_id, company_id=company_id)
    if not parent.exists():
        raise _not_found()
    queryset = CompanyDepartmentTeam.objects.filter(department_id=department_id).order_by("id")
    rows, cursor = _window(list(queryset[: limit + 1]), limit, "id")
    return TeamPage(items=[TeamOut.model_validate(r) for r in rows], next_cursor=cursor)


@app.patch("/api/companies/{company_id}/departments/{department_id}/teams/{team_id}")
@request_signalling
def update_team(company_id: int, department_id: int, team_id: int, payload: TeamPatch) -> TeamOut:
    changes = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        team = (
            CompanyDepartmentTeam.objects.select_for_update()
            .filter(pk=team_id, department_id=department_id, department__company_id=company_id)
            .first()
        )
        if team is None:
            raise _not_found()
        for name, value in changes.items():
            setattr(team, name, value)
        team.save(update_fields=list(changes))
    return TeamOut.model_validate(team)
