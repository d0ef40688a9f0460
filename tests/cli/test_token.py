"""``djgateway token`` mints tokens the sandbox accepts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from djgateway.cli.main import app
from djgateway.sandbox.gateway import SANDBOX_TOKENS


def test_token_carries_the_requested_claims() -> None:
    result = CliRunner().invoke(
        app, ["token", "--sub", "user-1-owner", "--scope", "business.companies.read.own"]
    )
    assert result.exit_code == 0, result.output
    access = SANDBOX_TOKENS.authenticate(result.output.strip())
    assert access.subject == "user-1-owner"
    assert access.scopes == {"business.companies.read.own"}
    assert access.tenant_id == "aaaaaaaa-0000-4000-8000-000000000001"


def test_default_token_opens_the_sandbox(sandbox_app: Any, demo: None) -> None:
    result = CliRunner().invoke(app, ["token"])
    headers = {"Authorization": f"Bearer {result.output.strip()}"}
    with TestClient(sandbox_app) as client:
        response = client.get("/api/companies", headers=headers)
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["items"]] == ["Acme Corp", "Acme Labs"]
