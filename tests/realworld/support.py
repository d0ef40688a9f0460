"""Helpers shared by the real-world tests: answers read with their status checked."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def orderings_answered(client: TestClient) -> int:
    """Every ``order_by`` value the document offers on a top-level list answers 200; how many."""
    spec = client.get("/openapi.json").json()
    checked = 0
    for path, item in spec["paths"].items():
        if "{" in path:
            continue
        for parameter in item.get("get", {}).get("parameters", []):
            if parameter["name"] != "order_by":
                continue
            for value in parameter["schema"].get("items", {}).get("enum", []):
                response = client.get(path, params={"order_by": value})
                assert response.status_code == 200, (path, value, response.text)
                checked += 1
    return checked
