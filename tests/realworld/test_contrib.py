"""Django's contrib apps over HTTP, without overrides."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from .gateways import contrib_app, contrib_gateway
from .support import created, orderings_answered

pytestmark = pytest.mark.usefixtures("rw_db")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(contrib_app()) as test_client:
        yield test_client


def test_a_user_is_created_with_a_hashed_password_that_is_never_shown(client: TestClient) -> None:
    from django.contrib.auth.models import User

    group = created(client.post("/groups", json={"name": "editors"}))
    user = created(
        client.post(
            "/users",
            json={"username": "ada", "password": "correct horse", "groups": [group["id"]]},
        )
    )

    assert "password" not in user
    assert user["groups"] == [group["id"]]
    stored = User.objects.get(pk=user["id"])
    assert stored.check_password("correct horse")
    assert stored.password != "correct horse"

    # PATCH and PUT without a password keep it; with one, it is hashed again.
    client.patch(f"/users/{user['id']}", json={"first_name": "Ada"}).raise_for_status()
    client.put(f"/users/{user['id']}", json={"username": "ada"}).raise_for_status()
    assert User.objects.get(pk=user["id"]).check_password("correct horse")
    client.patch(f"/users/{user['id']}", json={"password": "battery staple"}).raise_for_status()
    assert User.objects.get(pk=user["id"]).check_password("battery staple")
    assert "password" not in client.get(f"/users/{user['id']}").json()
    assert client.get("/users?password=x").status_code == 400


def test_sites_own_their_redirects_and_flat_pages_link_sites(client: TestClient) -> None:
    site = created(client.post("/sites", json={"domain": "example.org", "name": "Example"}))
    redirect = created(
        client.post(f"/sites/{site['id']}/redirects", json={"old_path": "/a", "new_path": "/b"})
    )
    page = created(
        client.post(
            "/flat-pages",
            json={"url": "/about/", "title": "About", "content": "Hi", "sites": [site["id"]]},
        )
    )

    assert redirect["site_id"] == site["id"]
    assert page["sites"] == [site["id"]]
    assert client.delete(f"/sites/{site['id']}").status_code == 204
    assert client.get(f"/sites/{site['id']}/redirects").status_code == 404


def test_every_advertised_ordering_answers(client: TestClient) -> None:
    created(client.post("/users", json={"username": "ada", "password": "x"}))
    assert orderings_answered(client) > 50


def test_sessions_are_not_served_and_unknown_paths_answer_problems(client: TestClient) -> None:
    response = client.get("/sessions")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_a_validator_no_schema_states_is_named_in_the_request_schema() -> None:
    # contrib.sites' domain refuses spaces with a function: requests say so; the fuzzer
    # then counts that field's 422s as the validator's verdict (djgateway/fuzz/accepted.py)
    from djgateway.fuzz.runner import unstated_fields

    app = contrib_app()
    sites = contrib_gateway().plan.get("sites")
    domain = next(f for f in sites.fields if f.name == "domain")
    assert domain.unstated_validators == ("_simple_domain_name_validator",)
    create = app.openapi()["components"]["schemas"]["SiteCreate"]["properties"]["domain"]
    assert "`_simple_domain_name_validator`" in create["description"]
    assert ("POST", "/sites", "domain") in unstated_fields(app)
