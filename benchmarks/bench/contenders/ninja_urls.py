"""django-ninja with explicit schemas, sync views over the Django ORM.

Uses the orjson renderer from ninja's documentation, so the JSON is the same as the other
contenders' (ninja's default encoder truncates datetimes to milliseconds).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

import orjson
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.renderers import BaseRenderer

from djgateway.sandbox.business.models import Company, CompanyDepartment, CompanyDepartmentTeam

from .common import DEFAULT_PAGE, MAX_PAGE, encode_cursor

OrderBy = Literal["id", "name", "founded", "-id", "-name", "-founded"]


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return orjson.dumps(data, option=orjson.OPT_UTC_Z)


class CompanyOut(Schema):
    id: int
    tenant_id: uuid.UUID
    name: str
    founded: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class DepartmentOut(Schema):
    id: int
    company_id: int
    name: str


class TeamOut(Schema):
    id: int
    department_id: int
    name: str
    headcount: int


class CompanyPage(Schema):
    items: list[CompanyOut]
    next_cursor: str | None


class DepartmentPage(Schema):
    items: list[DepartmentOut]
    next_cursor: str | None


class TeamPage(Schema):
    items: list[TeamOut]
    next_cursor: str | None


class DepartmentIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TeamPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    headcount: int | None = Field(default=None, ge=0, le=2147483647)


def _page(rows: list[Any], limit: int, order: str) -> dict[str, Any]:
    if len(rows) <= limit:
        return {"items": rows, "next_cursor": None}
    last = rows[limit - 1]
    cursor = encode_cursor([getattr(last, order.lstrip("-")), last.pk])
    return {"items": rows[:limit], "next_cursor": cursor}


api = NinjaAPI(renderer=ORJSONRenderer(), title="django-ninja", docs_url=None)


@api.get("/companies", response=CompanyPage)
def list_companies(
    request: HttpRequest,
    order_by: OrderBy = "id",
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
    name__istartswith: str | None = None,
) -> dict[str, Any]:
    queryset = Company.objects.order_by(order_by, "id")
    if name__istartswith:
        queryset = queryset.filter(name__istartswith=name__istartswith)
    return _page(list(queryset[: limit + 1]), limit, order_by)


@api.get("/companies/{company_id}", response=CompanyOut)
def get_company(request: HttpRequest, company_id: int) -> Company:
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        raise Http404
    return company


@api.get("/companies/{company_id}/departments", response=DepartmentPage)
def list_departments(
    request: HttpRequest,
    company_id: int,
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
) -> dict[str, Any]:
    if not Company.objects.filter(pk=company_id).exists():
        raise Http404
    queryset = CompanyDepartment.objects.filter(company_id=company_id).order_by("id")
    return _page(list(queryset[: limit + 1]), limit, "id")


@api.post("/companies/{company_id}/departments", response={201: DepartmentOut})
def create_department(
    request: HttpRequest, response: HttpResponse, company_id: int, payload: DepartmentIn
) -> Status[CompanyDepartment]:
    with transaction.atomic():
        if not Company.objects.filter(pk=company_id).exists():
            raise Http404
        department = CompanyDepartment.objects.create(company_id=company_id, name=payload.name)
    response["Location"] = f"/api/companies/{company_id}/departments/{department.pk}"
    return Status(201, department)


@api.get("/companies/{company_id}/departments/{department_id}/teams", response=TeamPage)
def list_teams(
    request: HttpRequest,
    company_id: int,
    department_id: int,
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
) -> dict[str, Any]:
    if not CompanyDepartment.objects.filter(pk=department_id, company_id=company_id).exists():
        raise Http404
    queryset = CompanyDepartmentTeam.objects.filter(department_id=department_id).order_by("id")
    return _page(list(queryset[: limit + 1]), limit, "id")


@api.patch("/companies/{company_id}/departments/{department_id}/teams/{team_id}", response=TeamOut)
def update_team(
    request: HttpRequest, company_id: int, department_id: int, team_id: int, payload: TeamPatch
) -> CompanyDepartmentTeam:
    changes = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        team = (
            CompanyDepartmentTeam.objects.select_for_update()
            .filter(pk=team_id, department_id=department_id, department__company_id=company_id)
            .first()
        )
        if team is None:
            raise Http404
        for name, value in changes.items():
            setattr(team, name, value)
        team.save(update_fields=list(changes))
    return team


urlpatterns = [path("api/", api.urls)]
