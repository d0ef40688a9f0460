"""Every Python example in the README runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

README = Path(__file__).resolve().parents[1] / "README.md"


def python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_starts_with_the_serve_and_test_commands() -> None:
    commands = re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert "djgateway serve" in commands[0]
    assert "pytest" in commands[1]


def test_readme_usage_example_builds_a_working_app(transactional_db: object) -> None:
    example = python_examples()[0]
    namespace: dict[str, object] = {}
    exec(compile(example, str(README), "exec"), namespace)
    app = namespace["app"]
    assert isinstance(app, FastAPI)
    with TestClient(app) as client:
        created = client.post(
            "/api/companies",
            json={"tenant_id": "aaaaaaaa-0000-4000-8000-000000000001", "name": "Readme Inc"},
        )
        assert created.status_code == 201, created.text
        company_id = created.json()["id"]
        department = client.post(f"/api/companies/{company_id}/departments", json={"name": "R&D"})
        assert department.status_code == 201
        assert client.get(f"/api/companies/{company_id}/departments").json()["items"] == [
            department.json()
        ]
    paths = app.openapi()["paths"]
    assert "/api/companies/{company_id}/departments/{department_id}/teams" in paths
    assert not any("audit" in path for path in paths)


def test_readme_security_example_guards_the_api(transactional_db: object) -> None:
    from djgateway import JWTBearer

    example = python_examples()[1]
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
