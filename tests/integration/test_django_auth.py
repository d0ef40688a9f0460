"""Django's own users as an authentication scheme: session cookie → permissions as scopes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from fastapi.testclient import TestClient

from djgateway import DjangoSessionAuth, Gateway, Resource, Scopes

pytestmark = pytest.mark.usefixtures("demo")

VIEW, ADD = "catalog.view_tag", "catalog.add_tag"


@pytest.fixture
def session_client(transactional_db: Any) -> Iterator[TestClient]:
    gateway = Gateway(
        apps=["catalog"],
        security=DjangoSessionAuth(),
        resources={"catalog.Tag": Resource(scopes=Scopes(get=[VIEW], post=[ADD]))},
    )
    with TestClient(gateway.app()) as client:
        yield client


def session_cookie(*permissions: str) -> dict[str, str]:
    user = User.objects.create_user(f"user-{len(permissions)}", password="unused-password-1")
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    browser = Client()
    browser.force_login(user)
    value = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={value}"}


def test_no_session_is_401(session_client: TestClient) -> None:
    response = session_client.get("/tags")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Cookie"
    forged = session_client.get("/tags", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}=x"})
    assert forged.status_code == 401


def test_django_permissions_are_the_scopes(session_client: TestClient) -> None:
    viewer = session_cookie(VIEW)
    assert session_client.get("/tags", headers=viewer).status_code == 200
    denied = session_client.post("/tags", json={"name": "t"}, headers=viewer)
    assert denied.status_code == 403
    assert ADD in denied.json()["detail"]
    writer = session_cookie(VIEW, ADD)
    assert session_client.post("/tags", json={"name": "t"}, headers=writer).status_code == 201


def test_session_scheme_is_documented(session_client: TestClient) -> None:
    schemes = session_client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes == {"session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}}
