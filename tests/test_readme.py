"""Every Python example in the README runs."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.readme import README, blocks, named_file, named_files


def test_readme_starts_with_the_serve_and_test_commands() -> None:
    commands = blocks("bash")
    assert "djgateway serve" in commands[0]
    assert "pytest" in commands[1]


def test_every_python_block_is_run_by_a_test() -> None:
    # tests/test_readme_project.py runs the project's files, tests/realworld/test_shop.py the
    # shop hook, this module the rest: a block without a file name would run nowhere.
    assert len(named_files()) == len(blocks("python"))
    assert set(named_files()) == {
        "settings.py",
        "library/models.py",
        "api.py",
        "own_app.py",
        "shop_api.py",
        "secured_api.py",
        "tests/test_api.py",
        "actions_api.py",
    }


def test_readme_security_example_guards_the_api(transactional_db: object) -> None:
    from djgateway import JWTBearer

    example = named_file("secured_api.py")
    namespace: dict[str, Any] = {}
    exec(compile(example, str(README), "exec"), namespace)
    tokens: JWTBearer = namespace["tokens"]
    app = namespace["secured"].app()
    tenant = "aaaaaaaa-0000-4000-8000-000000000001"
    with TestClient(app) as client:
        assert client.get("/companies").status_code == 401
        creator = tokens.mint({"sub": "u1", "ten": tenant, "scope": "business.companies.create"})
        created = client.post(
            "/companies",
            json={"name": "Secure Inc"},
            headers={"Authorization": f"Bearer {creator}"},
        )
        assert created.status_code == 201, created.text
        assert created.json()["tenant_id"] == tenant
        reader = tokens.mint({"sub": "u1", "ten": tenant, "scope": "business.companies.read.own"})
        listed = client.get("/companies", headers={"Authorization": f"Bearer {reader}"})
        assert listed.json()["items"] == []  # u1 is no employee of Secure Inc
    schemes = app.openapi()["components"]["securitySchemes"]
    assert schemes == {"JWT": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}


def test_every_option_the_readme_names_exists() -> None:
    # `Resource(page_size=100)` in prose is as wrong as in code: a TypeError for the reader
    import dataclasses
    import inspect
    import re

    from djgateway import Gateway, Resource

    text = README.read_text(encoding="utf-8")
    options = {
        "Resource": {f.name for f in dataclasses.fields(Resource)},
        "Gateway": set(inspect.signature(Gateway).parameters),
    }
    named = {
        (owner, keyword)
        for owner in options
        for call in re.findall(rf"\b{owner}\(([^()]*)\)", text)
        for keyword in re.findall(r"\b(\w+)=", call)
    }
    assert named
    assert {(owner, keyword) for owner, keyword in named if keyword not in options[owner]} == set()


def test_every_dotted_name_the_readme_names_imports() -> None:
    import importlib
    import re

    text = README.read_text(encoding="utf-8")
    names = set(re.findall(r"`(djgateway(?:\.\w+)+)`", text)) - set(
        re.findall(r"`(djgateway\.[EW]\w+)`", text)  # check ids, not names
    )
    assert "djgateway.plan.QuerySurface" in names
    for name in sorted(names):
        module, _, attribute = name.rpartition(".")
        try:
            importlib.import_module(name)
        except ImportError:
            assert hasattr(importlib.import_module(module), attribute), name


def test_readme_testing_example_runs(transactional_db: object) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(named_file("tests/test_api.py"), str(README), "exec"), namespace)
    assert namespace["created"].status_code == 201  # the block's own asserts ran before this
    assert namespace["token"].count(".") == 2


def test_readme_custom_endpoint_example_runs(transactional_db: object) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(named_file("actions_api.py"), str(README), "exec"), namespace)
    app = namespace["app"]
    tenant = "aaaaaaaa-0000-4000-8000-000000000001"
    with TestClient(app) as client:
        company = client.post("/api/companies", json={"tenant_id": tenant, "name": "Hiring Inc"})
        assert company.status_code == 201, company.text
        departments = f"/api/companies/{company.json()['id']}/departments"
        department = client.post(departments, json={"name": "R&D"}).json()
        teams = f"{departments}/{department['id']}/teams"
        team = client.post(teams, json={"name": "Core"}).json()
        hired = client.post(f"{teams}/{team['id']}/hire", json={"count": 3})
        assert (hired.status_code, hired.json()["headcount"]) == (200, 3)
        refused = client.post(f"{teams}/{team['id']}/hire", json={"count": 2000})
        assert refused.status_code == 422
        assert client.get(f"{teams}/{team['id']}").json()["headcount"] == 3  # nothing written
        assert client.get("/api/stats").json() == {"companies": 1}
    operations = {
        operation["operationId"]
        for path in app.openapi()["paths"].values()
        for operation in path.values()
    }
    assert "hire_companies_departments_teams" in operations
