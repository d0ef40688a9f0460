"""Sentry: unexpected errors are reported with user and tenant, the event id is in the body;
4xx answers are not reported. A capturing transport stands in for the network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q
from fastapi.testclient import TestClient

from djgateway import Access, Gateway, JWTBearer, Resource
from djgateway.sentry import disable_sentry, enable_sentry
from djgateway.testing import mint_token

sentry_sdk = pytest.importorskip("sentry_sdk")
from sentry_sdk.envelope import Envelope  # noqa: E402
from sentry_sdk.transport import Transport  # noqa: E402

pytestmark = pytest.mark.usefixtures("demo")

TOKENS = JWTBearer(key="sentry-test-key-that-is-long-enough-123", algorithms=["HS256"])


class CapturingTransport(Transport):
    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


def broken_filter(access: Access) -> Q:
    raise RuntimeError("a bug in a row filter")


@pytest.fixture
def reported(transactional_db: Any) -> Iterator[tuple[TestClient, CapturingTransport]]:
    transport = CapturingTransport()
    enable_sentry("http://public@127.0.0.1:9/1", transport=transport)
    gateway = Gateway(
        apps=["catalog"],
        security=TOKENS,
        resources={"catalog.Warehouse": Resource(objects_filter=broken_filter)},
    )
    try:
        with TestClient(gateway.app()) as client:
            yield client, transport
    finally:
        disable_sentry()


def test_unexpected_error_is_reported_with_user_and_tenant(
    reported: tuple[TestClient, CapturingTransport],
) -> None:
    client, transport = reported
    token = mint_token(TOKENS, subject="user-7", tenant="tenant-9")
    response = client.get("/warehouses", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 500, response.text
    body = response.json()
    assert "a bug in a row filter" not in response.text
    sentry_sdk.flush()
    (event,) = transport.events
    assert body["event_id"] == event["event_id"]
    assert event["user"]["id"] == "user-7"
    assert event["tags"]["tenant"] == "tenant-9"
    assert token not in str(event)


def test_client_errors_are_not_reported(reported: tuple[TestClient, CapturingTransport]) -> None:
    client, transport = reported
    token = mint_token(TOKENS, subject="user-7")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/products/999999", headers=headers).status_code == 404
    assert client.get("/products?colour=red", headers=headers).status_code == 400
    assert client.get("/products").status_code == 401
    sentry_sdk.flush()
    assert transport.events == []
    assert "event_id" not in client.get("/products/999999", headers=headers).json()
