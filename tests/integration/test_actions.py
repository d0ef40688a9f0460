"""Custom endpoints (``Gateway.action``) over real HTTP on the sandbox's secured business app:
the resource's authentication, scopes, tenant, row filters and parent chain, one transaction,
problem+json errors and OpenAPI documentation; ``request_signalling`` for users' own routes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import signals
from django.db import connection, connections
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from djgateway import Access, ConfigurationError, Gateway, Resource, request_signalling
from djgateway.cli.render import RouteTree, render_text
from djgateway.errors import conflict
from djgateway.plan.describe import describe_plan
from djgateway.sandbox.business.models import (
    Company,
    CompanyDepartment,
    CompanyDepartmentTeam,
    Employee,
)
from djgateway.sandbox.catalog.models import Product
from djgateway.sandbox.demo import TENANT_A, TENANT_B
from djgateway.sandbox.gateway import SANDBOX_TOKENS, build_gateway
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("demo")

C = "business.companies"
TEAMS = "/api/companies/{}/departments/{}/teams/{}"


class Hiring(BaseModel):
    count: int


class Renaming(BaseModel):
    suffix: str


class Headcount(BaseModel):
    total: int


def hire(
    team: CompanyDepartmentTeam, body: Hiring, department: CompanyDepartment, company: Company
) -> CompanyDepartmentTeam:
    """Add people to a team.

    The parents come from the path, already checked.
    """
    assert team.department_id == department.pk and department.company_id == company.pk
    team.headcount += body.count
    team.full_clean()
    team.save()
    return team


def rename_all(company: Company, body: Renaming) -> None:
    """Append a suffix to the name of every department of the company."""
    for department in company.departments.order_by("-name"):  # Sales, Finance, Engineering
        department.name += body.suffix
        department.full_clean()  # too long: a 422, after the first ones were saved
        department.save()
    if body.suffix == "!":
        raise conflict("Exclamation marks are not allowed.")


def headcount(company: Company, access: Access) -> Headcount:
    """The people in the company's teams."""
    assert access.subject is not None
    teams = CompanyDepartmentTeam.objects.filter(department__company=company)
    return Headcount(total=sum(teams.values_list("headcount", flat=True)))


def promote(employee: Employee) -> Employee:
    """Make an employee an admin."""
    employee.type = "admin"
    employee.save()
    return employee


def action_gateway() -> Gateway:
    gateway = build_gateway()
    gateway.action("business.CompanyDepartmentTeam", "hire")(hire)
    gateway.action("business.CompanyDepartment", "rename-all", on="collection")(rename_all)
    gateway.action("business.Company", "headcount", method="GET")(headcount)
    gateway.action("business.Employee", "promote", method="PATCH")(promote)
    return gateway


@pytest.fixture(scope="module")
def actions_app() -> FastAPI:
    return action_gateway().app(prefix="/api")


@pytest.fixture
def client(actions_app: FastAPI, transactional_db: Any) -> Iterator[TestClient]:
    with TestClient(actions_app) as test_client:
        yield test_client


def auth(*scopes: str, tenant: Any = TENANT_A, sub: str = "admin") -> dict[str, str]:
    claims = {"sub": sub, "ten": str(tenant), "scope": " ".join(scopes)}
    return {"Authorization": f"Bearer {SANDBOX_TOKENS.mint(claims)}"}


def team(company: str, name: str) -> CompanyDepartmentTeam:
    return CompanyDepartmentTeam.objects.get(department__company__name=company, name=name)


def team_path(row: CompanyDepartmentTeam, action: str) -> str:
    return f"{TEAMS.format(row.department.company_id, row.department_id, row.pk)}/{action}"


def transfer(company: Company) -> str:
    return f"/api/companies/{company.pk}/transfer-ownership"


# -- item actions ----------------------------------------------------------------------------


def test_an_item_action_works_on_the_visible_object(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")

    response = client.post(
        transfer(acme), json={"user_id": "user-1-member"}, headers=auth(f"{C}.update.any")
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"owner": "user-1-member", "previous_owners": ["user-1-owner"]}
    types = dict(acme.employees.values_list("user_id", "type"))
    assert types == {"user-1-owner": "admin", "user-1-admin": "admin", "user-1-member": "owner"}


def test_an_item_action_with_the_own_scope_works_for_an_owner(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    owner = auth(f"{C}.update.own", sub="user-1-owner")

    response = client.post(transfer(acme), json={"user_id": "user-1-admin"}, headers=owner)

    assert response.status_code == 200, response.text
    assert acme.employees.get(user_id="user-1-admin").type == "owner"


@pytest.mark.parametrize(
    ("company", "headers"),
    [
        ("Acme Labs", auth(f"{C}.update.own", sub="user-1-owner")),  # owned by someone else
        ("Globex", auth(f"{C}.update.any")),  # another tenant
        ("Acme Corp", auth(f"{C}.update.any", tenant=TENANT_B)),
    ],
)
def test_an_item_action_on_an_object_the_caller_may_not_see_is_404(
    client: TestClient, company: str, headers: dict[str, str]
) -> None:
    target = Company.objects.get(name=company)
    owners = list(target.employees.filter(type="owner").values_list("user_id", flat=True))
    member = target.employees.get(type="member").user_id

    response = client.post(transfer(target), json={"user_id": member}, headers=headers)

    assert_problem(response, 404)
    assert list(target.employees.filter(type="owner").values_list("user_id", flat=True)) == owners


def test_an_item_action_on_a_missing_object_is_404(client: TestClient) -> None:
    response = client.post(
        "/api/companies/999999/transfer-ownership",
        json={"user_id": "x"},
        headers=auth(f"{C}.update.any"),
    )

    assert_problem(response, 404)


def test_an_item_action_under_the_wrong_parent_is_404(client: TestClient) -> None:
    platform = team("Acme Corp", "Platform")
    other = CompanyDepartment.objects.get(company__name="Acme Labs", name="Research")
    path = f"{TEAMS.format(other.company_id, other.pk, platform.pk)}/hire"

    response = client.post(path, json={"count": 1}, headers=auth(f"{C}.update.any"))

    assert_problem(response, 404)
    assert team("Acme Corp", "Platform").headcount == 12


def test_a_nested_item_action_gets_its_parents_and_answers_with_the_read_schema(
    client: TestClient,
) -> None:
    platform = team("Acme Corp", "Platform")

    response = client.post(
        team_path(platform, "hire"), json={"count": 3}, headers=auth(f"{C}.update.any")
    )

    assert response.status_code == 200, response.text
    read = client.get(
        TEAMS.format(platform.department.company_id, platform.department_id, platform.pk),
        headers=auth(f"{C}.read.any"),
    )
    assert response.json() == read.json()
    assert response.json()["headcount"] == 15
    assert response.headers["etag"] == read.headers["etag"]


def test_a_write_action_honours_if_match_on_the_locked_row(client: TestClient) -> None:
    platform = team("Acme Corp", "Platform")
    headers = auth(f"{C}.update.any")

    stale = client.post(
        team_path(platform, "hire"), json={"count": 1}, headers={**headers, "If-Match": '"old"'}
    )

    assert_problem(stale, 412)
    assert team("Acme Corp", "Platform").headcount == 12


def test_a_missing_scope_is_403_and_no_token_401(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    body = {"user_id": "user-1-member"}

    forbidden = client.post(transfer(acme), json=body, headers=auth(f"{C}.read.any"))
    unauthorized = client.post(transfer(acme), json=body)

    assert "business.companies.update.any" in assert_problem(forbidden, 403)["detail"]
    assert_problem(unauthorized, 401)
    assert unauthorized.headers["www-authenticate"].startswith("Bearer")
    assert acme.employees.get(user_id="user-1-owner").type == "owner"


def test_a_validation_error_is_a_422_and_nothing_is_written(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    platform = team("Acme Corp", "Platform")

    unknown = client.post(
        transfer(acme), json={"user_id": "nobody"}, headers=auth(f"{C}.update.any")
    )
    negative = client.post(
        team_path(platform, "hire"), json={"count": -13}, headers=auth(f"{C}.update.any")
    )

    assert assert_problem(unknown, 422)["errors"] == [
        {
            "loc": ["body", "user_id"],
            "message": "No employee has this user id.",
            "code": "does_not_exist",
        }
    ]
    assert assert_problem(negative, 422)["errors"][0]["loc"] == ["body", "headcount"]
    assert team("Acme Corp", "Platform").headcount == 12


def test_a_bad_body_is_refused_before_the_function_runs(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    headers = auth(f"{C}.update.any")

    extra = client.post(transfer(acme), json={"user_id": "user-1-admin", "x": 1}, headers=headers)
    text = client.post(transfer(acme), content=b"user-1-admin", headers=headers)
    wrong_method = client.get(transfer(acme), headers=headers)

    assert assert_problem(extra, 422)["errors"][0]["loc"] == ["body", "x"]
    assert_problem(text, 415)
    assert_problem(wrong_method, 405)
    assert wrong_method.headers["allow"] == "POST"
    assert acme.employees.get(user_id="user-1-owner").type == "owner"


def test_a_read_action_gets_the_access_and_the_object_it_may_read(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")

    mine = client.get(
        f"/api/companies/{acme.pk}/headcount", headers=auth(f"{C}.read.own", sub="user-1-admin")
    )
    not_mine = client.get(
        f"/api/companies/{acme.pk}/headcount", headers=auth(f"{C}.read.own", sub="user-2-owner")
    )

    assert mine.status_code == 200, mine.text
    assert mine.json() == {"total": 12 + 5 + 7 + 3}
    assert_problem(not_mine, 404)


def test_field_scopes_apply_to_a_returned_object(client: TestClient) -> None:
    employee = Employee.objects.get(user_id="user-1-member")
    path = f"/api/companies/{employee.company_id}/employees/{employee.pk}/promote"

    plain = client.patch(path, headers=auth(f"{C}.update.any"))
    with_email = client.patch(
        path, headers=auth(f"{C}.update.any", "business.employees.email.read")
    )

    assert plain.status_code == 200, plain.text
    assert plain.json()["type"] == "admin"
    assert "email" not in plain.json()
    assert with_email.json()["email"] == "member@acmecorp.example"


# -- collection actions ----------------------------------------------------------------------


def rename_path(company: Company) -> str:
    return f"/api/companies/{company.pk}/departments:rename-all"


def department_names(company: Company) -> list[str]:
    return sorted(company.departments.values_list("name", flat=True))


def test_a_collection_action_works_under_a_visible_parent(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")

    response = client.post(
        rename_path(acme), json={"suffix": " (old)"}, headers=auth(f"{C}.update.any")
    )

    assert response.status_code == 204, response.text
    assert response.content == b""
    assert department_names(acme) == ["Engineering (old)", "Finance (old)", "Sales (old)"]


@pytest.mark.parametrize(
    ("company", "headers"),
    [
        ("Acme Labs", auth(f"{C}.update.own", sub="user-1-owner")),
        ("Globex", auth(f"{C}.update.any")),
    ],
)
def test_a_collection_action_under_a_parent_the_caller_may_not_see_is_404(
    client: TestClient, company: str, headers: dict[str, str]
) -> None:
    target = Company.objects.get(name=company)
    before = department_names(target)

    response = client.post(rename_path(target), json={"suffix": "-x"}, headers=headers)

    assert_problem(response, 404)
    assert department_names(target) == before


def test_a_failing_collection_action_leaves_nothing_half_written(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    headers = auth(f"{C}.update.any")

    # Sales and Finance are renamed and saved before Engineering's name gets too long
    too_long = client.post(rename_path(acme), json={"suffix": "x" * 90}, headers=headers)
    refused = client.post(rename_path(acme), json={"suffix": "!"}, headers=headers)

    assert assert_problem(too_long, 422)["errors"][0]["loc"] == ["body", "name"]
    assert assert_problem(refused, 409)["detail"] == "Exclamation marks are not allowed."
    assert department_names(acme) == ["Engineering", "Finance", "Sales"]


def test_a_top_level_collection_action_is_served_after_a_colon(transactional_db: Any) -> None:
    gateway = build_gateway()

    @gateway.action("catalog.Product", "count", method="GET", on="collection")
    def count() -> Headcount:
        """Count the products."""
        return Headcount(total=Product.objects.count())

    product = Product.objects.order_by("pk").first()
    assert product is not None
    app = gateway.app(prefix="/api")
    with TestClient(app) as client:
        counted = client.get("/api/products:count")
        item = client.get(f"/api/products/{product.pk}")

    assert counted.json() == {"total": 5}
    assert item.status_code == 200  # the item route still serves ids
    # an action of an open resource says it is open, as the generated operations do
    assert app.openapi()["paths"]["/api/products:count"]["get"]["security"] == []


def test_an_answer_the_annotation_does_not_name_is_a_500_and_writes_nothing(
    transactional_db: Any,
) -> None:
    gateway = build_gateway(secured=False)

    @gateway.action("business.Company", "rename")
    def rename(company: Company) -> Headcount:
        company.name = "Renamed"
        company.save()
        return company  # type: ignore[return-value]

    acme = Company.objects.get(name="Acme Corp")
    with TestClient(gateway.app(prefix="/api"), raise_server_exceptions=False) as client:
        response = client.post(f"/api/companies/{acme.pk}/rename")

    assert_problem(response, 500)
    assert Company.objects.filter(name="Renamed").count() == 0


# -- documentation ---------------------------------------------------------------------------


def test_actions_are_documented_like_the_generated_operations(actions_app: FastAPI) -> None:
    document = actions_app.openapi()
    paths = document["paths"]
    team_item = "/api/companies/{company_id}/departments/{department_id}/teams/{team_id}"

    hire_doc = paths[f"{team_item}/hire"]["post"]
    assert hire_doc["operationId"] == "hire_companies_departments_teams"
    assert hire_doc["tags"] == paths[team_item]["get"]["tags"]
    assert hire_doc["summary"] == "Add people to a team"
    assert hire_doc["description"].startswith("The parents come from the path, already checked.")
    assert "(inherited from companies)" in hire_doc["description"]
    assert hire_doc["security"] == [{"JWT": [f"{C}.update.any", f"{C}.update.own"]}]
    assert hire_doc["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Hiring"
    }
    answer = hire_doc["responses"]["200"]["content"]["application/json"]["schema"]
    assert (
        answer
        == paths[team_item]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    )
    assert {"401", "403", "404", "409", "412", "413", "415", "422", "503"} <= set(
        hire_doc["responses"]
    )
    assert "application/problem+json" in hire_doc["responses"]["404"]["content"]

    rename_doc = paths["/api/companies/{company_id}/departments:rename-all"]["post"]
    assert set(rename_doc["responses"]) >= {"204", "404", "422"}
    assert "200" not in rename_doc["responses"]
    assert "412" not in rename_doc["responses"]  # no object, no If-Match

    read_doc = paths["/api/companies/{company_id}/headcount"]["get"]
    assert read_doc["security"] == [{"JWT": [f"{C}.read.any", f"{C}.read.own"]}]
    assert "requestBody" not in read_doc
    assert "409" not in read_doc["responses"]
    assert read_doc["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Headcount"
    }


def test_routes_list_the_actions(actions_app: FastAPI) -> None:
    description = describe_plan(action_gateway().plan)
    teams = next(r for r in description["resources"] if r["model"].endswith("Team"))

    assert teams["actions"] == [
        {
            "name": "hire",
            "on": "item",
            "method": "POST",
            "path": "/companies/{company_id}/departments/{department_id}/teams/{team_id}/hire",
            "operation_id": "hire_companies_departments_teams",
            "status": 200,
            "scopes": {"own": [], "inherited": [f"{C}.update.any", f"{C}.update.own"]},
            "scopes_of": "patch",
            "function": "tests.integration.test_actions.hire",
        }
    ]
    text = render_text(RouteTree(description), 200)
    assert "POST    …/departments:rename-all" in text


# -- configuration errors --------------------------------------------------------------------


def problems_of(declare: Callable[[Gateway], None]) -> list[str]:
    gateway = build_gateway()
    declare(gateway)
    with pytest.raises(ConfigurationError) as raised:
        _ = gateway.plan
    return [str(problem) for problem in raised.value.problems]


def test_an_action_named_like_a_child_is_a_startup_error() -> None:
    def declare(gateway: Gateway) -> None:
        gateway.action("business.Company", "departments")(headcount)

    found = problems_of(declare)

    assert found == [
        "djgateway.E017: business.Company: action 'departments': its path "
        "/companies/{company_id}/departments is taken by the generated route "
        "/companies/{company_id}/departments; rename the action"
    ]


def test_names_taken_by_generated_routes_are_all_reported_at_once() -> None:
    def declare(gateway: Gateway) -> None:
        gateway.action("catalog.Product", "tags", method="GET")(count_products)
        gateway.action("catalog.Product", "aggregate", method="GET", on="collection")(
            count_products
        )
        gateway.action("catalog.Product", "list", method="GET", on="collection")(count_products)

    found = problems_of(declare)

    assert [problem.split(":")[0] for problem in found] == ["djgateway.E017"] * 4
    assert "generated route /products/{product_id}/tags" in found[0]
    assert "operationId 'aggregate_products' is taken" in found[2]
    assert "operationId 'list_products' is taken by catalog.Product's list route" in found[3]


def count_products() -> Headcount:
    return Headcount(total=0)


async def asynchronous(company: Company) -> None:
    return None


def unannotated(company):  # type: ignore[no-untyped-def]
    return None


def takes_a_request(company: Company, request: Any) -> None:
    return None


def test_actions_the_gateway_cannot_serve_are_startup_errors() -> None:
    def declare(gateway: Gateway) -> None:
        gateway.action("business.Nothing", "x")(count_products)
        gateway.action("business.Company", "Bad Name")(count_products)
        gateway.action("business.Company", "a", method="GET")(hire)
        gateway.action("business.Company", "b")(asynchronous)
        gateway.action("business.Company", "c")(unannotated)
        gateway.action("business.Company", "d")(takes_a_request)
        gateway.action("business.Company", "e", on="collection")(headcount)
        gateway.action("catalog.Product", "f", scopes=["catalog.products.f"])(count_products)
        gateway.action("business.Company", "g", scopes=["x"], scopes_of="get")(count_products)

    found = problems_of(declare)

    assert [problem.split(":")[0] for problem in found] == ["djgateway.E018"] * 9
    assert "'business.Nothing' is no exposed resource" in found[0]
    assert "lower case letters and digits" in found[1]
    assert "cannot supply its parameter 'team'" in found[2]
    assert "must be a plain def" in found[3]
    assert "annotate what it returns" in found[4]
    assert "cannot supply its parameter 'request'" in found[5]
    assert "cannot supply its parameter 'company'" in found[6]
    assert "scopes on an open resource would never be checked" in found[7]
    assert "give scopes_of or scopes, not both" in found[8]


def test_a_get_action_takes_no_body() -> None:
    def declare(gateway: Gateway) -> None:
        gateway.action("business.Company", "d", method="GET")(rename_all)

    assert problems_of(declare) == [
        "djgateway.E018: business.Company: action 'd': a GET action takes no body"
    ]


def test_an_action_declared_after_the_build_is_refused() -> None:
    gateway = Gateway(apps=["catalog"], resources={"catalog.Product": Resource()})
    _ = gateway.plan

    with pytest.raises(ConfigurationError) as raised:
        gateway.action("catalog.Product", "late")(count_products)

    assert raised.value.code == "djgateway.E018"


# -- request_signalling ----------------------------------------------------------------------


class Signals:
    """Which thread sent request_started / request_finished, and in which order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def started(self, **kwargs: Any) -> None:
        self.events.append(("started", threading.get_ident()))

    def finished(self, **kwargs: Any) -> None:
        self.events.append(("finished", threading.get_ident()))


@pytest.fixture
def sent() -> Iterator[Signals]:
    recorded = Signals()
    signals.request_started.connect(recorded.started)
    signals.request_finished.connect(recorded.finished)
    yield recorded
    signals.request_started.disconnect(recorded.started)
    signals.request_finished.disconnect(recorded.finished)


def own_app(work: list[tuple[str, int]]) -> FastAPI:
    app = FastAPI()

    @app.get("/decorated")
    @request_signalling
    def decorated() -> dict[str, int]:
        work.append(("query", threading.get_ident()))
        return {"companies": Company.objects.count()}

    @app.get("/block")
    def block() -> dict[str, int]:
        with request_signalling():
            work.append(("query", threading.get_ident()))
            with request_signalling():  # nested: sends nothing more
                count = Company.objects.count()
        return {"companies": count}

    return app


@pytest.mark.parametrize("path", ["/decorated", "/block"])
def test_request_signalling_sends_the_signals_in_the_thread_using_the_orm(
    sent: Signals, path: str
) -> None:
    work: list[tuple[str, int]] = []
    with TestClient(own_app(work)) as client:
        response = client.get(path)

    assert response.json() == {"companies": 3}
    [(_, worker)] = work
    assert sent.events == [("started", worker), ("finished", worker)]
    assert worker != threading.get_ident()  # FastAPI's worker thread, not the test's


def test_an_action_runs_inside_the_request_signals(sent: Signals, client: TestClient) -> None:
    platform = team("Acme Corp", "Platform")

    client.post(team_path(platform, "hire"), json={"count": 1}, headers=auth(f"{C}.update.any"))

    assert [event for event, _ in sent.events] == ["started", "finished"]
    assert len({thread for _, thread in sent.events}) == 1


def test_request_signalling_refuses_an_async_def() -> None:
    async def endpoint() -> None:
        return None

    with pytest.raises(TypeError, match="plain def"):
        request_signalling(endpoint)


def opened_connection(app: FastAPI, path: str) -> Any:
    """The worker thread's connection, as the request left it."""
    wrappers: list[Any] = []

    @app.get(path)
    @request_signalling
    def endpoint() -> dict[str, int]:
        count = Company.objects.count()
        own = connections["default"]  # this thread's (``connection`` is a proxy)
        wrappers.append(own)
        if path == "/broken":  # the server went away during the request
            own.connection.close()
            own.errors_occurred = True
        return {"companies": count}

    with TestClient(app) as client:
        assert client.get(path).status_code == 200
    return wrappers[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test database stays open")
def test_request_signalling_closes_the_connection_at_the_end_of_the_request() -> None:
    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    wrapper = opened_connection(FastAPI(), "/closed")

    assert wrapper.connection is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's test database stays open")
def test_request_signalling_closes_a_broken_persistent_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)  # persistent
    kept = opened_connection(FastAPI(), "/kept")
    broken = opened_connection(FastAPI(), "/broken")

    assert kept.connection is not None
    assert broken.connection is None
    kept.inc_thread_sharing()  # close it from here: the test database is dropped at the end
    kept.close()
    kept.dec_thread_sharing()
