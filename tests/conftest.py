"""Fixtures: the sandbox app over real HTTP (ASGI) on the test database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient


@pytest.fixture(scope="session")
def sandbox_app() -> FastAPI:
    """The sandbox as served: the business app needs bearer tokens."""
    from djgateway.sandbox.gateway import build_gateway

    return build_gateway().app(prefix="/api")


@pytest.fixture(scope="session")
def open_sandbox_app() -> FastAPI:
    """The sandbox with the business app open: for tests of CRUD and query semantics."""
    from djgateway.sandbox.gateway import build_gateway

    return build_gateway(secured=False).app(prefix="/api")


@pytest.fixture
def client(open_sandbox_app: FastAPI, transactional_db: Any) -> Iterator[TestClient]:
    with TestClient(open_sandbox_app) as test_client:
        yield test_client


@pytest.fixture
def secure_client(sandbox_app: FastAPI, transactional_db: Any) -> Iterator[TestClient]:
    with TestClient(sandbox_app) as test_client:
        yield test_client


@pytest.fixture
def demo(transactional_db: Any) -> None:
    from djgateway.sandbox.demo import load_demo_data

    load_demo_data()
