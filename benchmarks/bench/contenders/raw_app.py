"""The raw limit: Starlette + orjson + hand-written SQL on one connection, no Django.

Same paths, same JSON, same 404 semantics for a parent that is not on the path. Handlers
are ``async`` and call the database directly (blocking the loop: one request at a time).
"""

from __future__ import annotations

import os
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .common import DEFAULT_PAGE, MAX_PAGE, encode_cursor
from .raw_sql import DEPARTMENT, TEAM, Database, IntegrityConflictError, items, like_prefix

DB = Database(os.environ["DJGATEWAY_DATABASE_URL"])
ORDER_BY = {
    name: f"{name.lstrip('-')} {'DESC' if name.startswith('-') else 'ASC'}"
    for name in ("id", "name", "founded", "-id", "-name", "-founded")
}
LIST_PARAMS = frozenset({"order_by", "limit", "name__istartswith"})
MAX_INT = 2147483647


class ProblemError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status


def json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps(data, option=orjson.OPT_UTC_Z)
    return Response(body, status, headers, media_type="application/json")


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", str(DEFAULT_PAGE))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise ProblemError(400, f"limit: an integer from 1 to {MAX_PAGE}")
    return int(raw)


def _page(found: list[dict[str, Any]], limit: int, order: str) -> dict[str, Any]:
    if len(found) <= limit:
        return {"items": found, "next_cursor": None}
    last = found[limit - 1]
    return {"items": found[:limit], "next_cursor": encode_cursor([last[order], last["id"]])}


def _require(statement: str, params: tuple[Any, ...]) -> None:
    if not DB.rows(DB.sql(statement), params):
        raise ProblemError(404, "Not found.")


async def _body(request: Request, allowed: dict[str, type]) -> dict[str, Any]:
    try:
        data = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise ProblemError(400, "The body is not JSON.") from None
    if not isinstance(data, dict) or not set(data) <= set(allowed):
        raise ProblemError(422, f"Allowed keys: {sorted(allowed)}")
    for key, value in data.items():
        if type(value) is not allowed[key]:
            raise ProblemError(422, f"{key}: wrong type")
    return data


def list_companies(request: Request) -> Response:
    params = request.query_params
    if not set(params) <= LIST_PARAMS:
        raise ProblemError(400, f"Allowed parameters: {sorted(LIST_PARAMS)}")
    order = params.get("order_by", "id")
    if order not in ORDER_BY:
        raise ProblemError(400, f"order_by: one of {sorted(ORDER_BY)}")
    limit = _limit(request)
    where, values = "", []
    if "name__istartswith" in params:
        where = f"WHERE {DB.istartswith('name')}"
        values.append(like_prefix(params["name__istartswith"]))
    statement = (
        "SELECT id, tenant_id, name, founded, created_at, updated_at FROM business_company "
        f"{where} ORDER BY {ORDER_BY[order]}, id ASC LIMIT %s"
    )
    rows = DB.rows(DB.sql(statement), (*values, limit + 1))
    return json(_page([DB.company(row) for row in rows], limit, order.lstrip("-")))


def get_company(request: Request) -> Response:
    statement = (
        "SELECT id, tenant_id, name, founded, created_at, updated_at FROM business_company "
        "WHERE id = %s"
    )
    rows = DB.rows(DB.sql(statement), (request.path_params["company_id"],))
    if not rows:
        raise ProblemError(404, "Not found.")
    return json(DB.company(rows[0]))


def list_departments(request: Request) -> Response:
    company, limit = request.path_params["company_id"], _limit(request)
    statement = (
        "SELECT id, company_id, name FROM business_companydepartment "
        "WHERE company_id = %s ORDER BY id LIMIT %s"
    )
    rows = DB.rows(DB.sql(statement), (company, limit + 1))
    if not rows:  # an empty page: does the parent exist?
        _require("SELECT 1 FROM business_company WHERE id = %s", (company,))
    return json(_page(items(DEPARTMENT, rows), limit, "id"))


async def create_department(request: Request) -> Response:
    company = request.path_params["company_id"]
    data = await _body(request, {"name": str})
    name = data.get("name", "")
    if not 1 <= len(name) <= 100:
        raise ProblemError(422, "name: 1 to 100 characters")
    statement = (
        "INSERT INTO business_companydepartment (company_id, name) SELECT %s, %s "
        "WHERE EXISTS (SELECT 1 FROM business_company WHERE id = %s) "
        "RETURNING id, company_id, name"
    )
    try:
        rows = DB.rows(DB.sql(statement), (company, name, company))
    except IntegrityConflictError:
        raise ProblemError(409, "A department with this name exists.") from None
    if not rows:
        raise ProblemError(404, "Not found.")
    created = dict(zip(DEPARTMENT, rows[0], strict=True))
    location = f"/api/companies/{company}/departments/{created['id']}"
    return json(created, 201, {"Location": location})


def list_teams(request: Request) -> Response:
    company, department = request.path_params["company_id"], request.path_params["department_id"]
    limit = _limit(request)
    statement = (
        "SELECT t.id, t.department_id, t.name, t.headcount FROM business_companydepartmentteam t "
        "JOIN business_companydepartment d ON d.id = t.department_id "
        "WHERE t.department_id = %s AND d.company_id = %s ORDER BY t.id LIMIT %s"
    )
    rows = DB.rows(DB.sql(statement), (department, company, limit + 1))
    if not rows:  # an empty page: is the department under this company?
        _require(
            "SELECT 1 FROM business_companydepartment WHERE id = %s AND company_id = %s",
            (department, company),
        )
    return json(_page(items(TEAM, rows), limit, "id"))


async def update_team(request: Request) -> Response:
    ids = request.path_params
    data = await _body(request, {"name": str, "headcount": int})
    if not 0 <= data.get("headcount", 0) <= MAX_INT or not 1 <= len(data.get("name", "x")) <= 100:
        raise ProblemError(422, "headcount: 0 to 2147483647; name: 1 to 100 characters")
    assignments = ", ".join(f"{key} = %s" for key in data) or "id = id"
    statement = (
        f"UPDATE business_companydepartmentteam SET {assignments} "
        "WHERE id = %s AND department_id = %s AND EXISTS (SELECT 1 FROM "
        "business_companydepartment d WHERE d.id = %s AND d.company_id = %s) "
        "RETURNING id, department_id, name, headcount"
    )
    params = (*data.values(), ids["team_id"], ids["department_id"], ids["department_id"])
    rows = DB.rows(DB.sql(statement), (*params, ids["company_id"]))
    if not rows:
        raise ProblemError(404, "Not found.")
    return json(dict(zip(TEAM, rows[0], strict=True)))


def problems(handler: Any) -> Any:
    """Answer ``ProblemError`` as JSON; every handler becomes ``async`` (no thread pool)."""

    async def endpoint(request: Request) -> Response:
        try:
            result = handler(request)
            return await result if hasattr(result, "__await__") else result
        except ProblemError as problem:
            return json({"status": problem.status, "detail": str(problem)}, problem.status)

    return endpoint


COMPANY = "/api/companies/{company_id:int}"
DEPARTMENT_PATH = f"{COMPANY}/departments/{{department_id:int}}"
app = Starlette(
    routes=[
        Route("/api/companies", problems(list_companies)),
        Route(COMPANY, problems(get_company)),
        Route(f"{COMPANY}/departments", problems(list_departments)),
        Route(f"{COMPANY}/departments", problems(create_department), methods=["POST"]),
        Route(f"{DEPARTMENT_PATH}/teams", problems(list_teams)),
        Route(f"{DEPARTMENT_PATH}/teams/{{team_id:int}}", problems(update_team), methods=["PATCH"]),
    ]
)
