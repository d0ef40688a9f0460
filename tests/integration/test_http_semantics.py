"""Conditional requests, Prefer, soft delete, write races and hostile input, over HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from fastapi.testclient import TestClient

from djgateway import Gateway, Resource
from djgateway.sandbox.business.models import (
    Company,
    CompanyCostcenter,
    CompanyDepartment,
    CompanyDepartmentTeam,
)
from djgateway.sandbox.catalog.models import Product, Tag
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("demo")


def team_url(name: str = "Platform") -> str:
    team = CompanyDepartmentTeam.objects.select_related("department").get(name=name)
    department = team.department
    return f"/api/companies/{department.company_id}/departments/{department.pk}/teams/{team.pk}"


# -- ETags -----------------------------------------------------------------------------


def test_reads_carry_an_etag_and_if_none_match_gives_304(client: TestClient) -> None:
    url = team_url()
    first = client.get(url)
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    client.patch(url, json={"headcount": 99})
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_lists_carry_an_etag(client: TestClient) -> None:
    first = client.get("/api/products")
    again = client.get("/api/products", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_stale_if_match_is_412_and_changes_nothing(client: TestClient) -> None:
    url = team_url()
    etag = client.get(url).headers["etag"]
    assert client.patch(url, json={"headcount": 1}, headers={"If-Match": etag}).status_code == 200
    assert_problem(client.patch(url, json={"headcount": 2}, headers={"If-Match": etag}), 412)
    assert_problem(client.put(url, json={"name": "X"}, headers={"If-Match": etag}), 412)
    assert_problem(client.delete(url, headers={"If-Match": etag}), 412)
    assert CompanyDepartmentTeam.objects.get(name="Platform").headcount == 1


def test_write_responses_carry_the_new_etag(client: TestClient) -> None:
    url = team_url()
    patched = client.patch(url, json={"headcount": 3})
    assert patched.headers["etag"] == client.get(url).headers["etag"]
    next_write = client.patch(
        url, json={"headcount": 4}, headers={"If-Match": patched.headers["etag"]}
    )
    assert next_write.status_code == 200


def test_if_match_star_needs_an_existing_row(client: TestClient) -> None:
    url = team_url()
    assert client.patch(url, json={"headcount": 5}, headers={"If-Match": "*"}).status_code == 200
    missing = url.rsplit("/", 1)[0] + "/999999"
    assert_problem(client.patch(missing, json={"headcount": 5}, headers={"If-Match": "*"}), 404)


def test_required_if_match_is_428_when_missing(transactional_db: Any) -> None:
    gateway = Gateway(apps=["catalog"], resources={"catalog.Tag": Resource(require_if_match=True)})
    tag = Tag.objects.get(name="new")
    with TestClient(gateway.app()) as client:
        assert_problem(client.patch(f"/tags/{tag.pk}", json={"color": "#ff0000"}), 428)
        etag = client.get(f"/tags/{tag.pk}").headers["etag"]
        ok = client.patch(f"/tags/{tag.pk}", json={"color": "#ff0000"}, headers={"If-Match": etag})
        assert ok.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
def test_parallel_conditional_patches_have_exactly_one_winner(client: TestClient) -> None:
    url = team_url()
    etag = client.get(url).headers["etag"]

    def patch(n: int) -> int:
        headers = {"If-Match": etag}
        return client.patch(url, json={"headcount": 100 + n}, headers=headers).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(patch, range(8)))
    assert sorted(statuses) == [200] + [412] * 7
    winner = CompanyDepartmentTeam.objects.get(name="Platform").headcount
    assert 100 <= winner < 108


# -- Prefer: return=minimal ------------------------------------------------------------


def test_return_minimal_gives_204_with_location_and_etag(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    url = f"/api/companies/{acme.pk}/departments"
    created = client.post(url, json={"name": "Quiet"}, headers={"Prefer": "return=minimal"})
    assert created.status_code == 204
    assert created.content == b""
    assert created.headers["location"].startswith(f"{url}/")
    assert created.headers["preference-applied"] == "return=minimal"
    fetched = client.get(created.headers["location"])
    assert fetched.headers["etag"] == created.headers["etag"]
    patched = client.patch(
        created.headers["location"], json={"name": "Quieter"}, headers={"Prefer": "return=minimal"}
    )
    assert patched.status_code == 204
    assert CompanyDepartment.objects.filter(name="Quieter").exists()


# -- soft delete -----------------------------------------------------------------------


def test_delete_status_archives_instead_of_deleting(client: TestClient) -> None:
    acme = Company.objects.get(name="Acme Corp")
    center = CompanyCostcenter.objects.get(company=acme, code="CC-100")
    url = f"/api/companies/{acme.pk}/costcenters"
    assert client.delete(f"{url}/{center.pk}").status_code == 204
    center.refresh_from_db()
    assert center.status == "archived"
    assert_problem(client.get(f"{url}/{center.pk}"), 404)
    assert_problem(client.patch(f"{url}/{center.pk}", json={"name": "Back"}), 404)
    assert [c["code"] for c in client.get(url).json()["items"]] == ["CC-200"]
    archived = client.get(url, params={"status": "archived"}).json()["items"]
    assert [c["code"] for c in archived] == ["CC-100"]
    count = client.get(f"{url}:aggregate/count/id").json()["value"]
    assert count == 1


# -- races -----------------------------------------------------------------------------


def test_update_of_a_row_deleted_meanwhile_does_not_resurrect_it(client: TestClient) -> None:
    from djgateway.orm.writes import _save_existing

    team = CompanyDepartmentTeam.objects.get(name="Platform")
    CompanyDepartmentTeam.objects.filter(pk=team.pk).delete()
    team.name = "Zombie"
    with pytest.raises(Exception) as caught:
        _save_existing(team)
    assert getattr(caught.value, "status", None) == 404
    assert not CompanyDepartmentTeam.objects.filter(pk=team.pk).exists()


# -- hostile input ---------------------------------------------------------------------

HOSTILE_BODIES: list[tuple[str, bytes, str, int]] = [
    ("NUL in a string", b'{"name": "a\\u0000b"}', "application/json", 422),
    ("lone surrogate", b'{"name": "\\ud800"}', "application/json", 422),
    ("invalid UTF-8", b'{"name": "\xff\xfe"}', "application/json", 400),
    (
        "integer beyond 64 bits",
        b'{"name": "n", "headcount": 18446744073709551616}',
        "application/json",
        422,
    ),
    (
        "integer beyond the column",
        b'{"name": "n", "headcount": 2147483648}',
        "application/json",
        422,
    ),
    ("string beyond max_length", b'{"name": "' + b"x" * 101 + b'"}', "application/json", 422),
    ("malformed JSON", b'{"name": ', "application/json", 422),
    ("not an object", b"[1, 2, 3]", "application/json", 422),
    ("deeply nested JSON", b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
    ("wrong content type", b'{"name": "n"}', "text/plain", 415),
    ("form data", b"name=n", "application/x-www-form-urlencoded", 415),
    ("too large", b'{"name": "' + b"x" * (1024 * 1024) + b'"}', "application/json", 413),
]


@pytest.mark.parametrize(
    ("case", "body", "content_type", "status"), HOSTILE_BODIES, ids=[c[0] for c in HOSTILE_BODIES]
)
def test_hostile_bodies_are_4xx_and_change_nothing(
    client: TestClient, case: str, body: bytes, content_type: str, status: int
) -> None:
    before = CompanyDepartmentTeam.objects.count()
    url = team_url().rsplit("/", 1)[0]
    assert_problem(client.post(url, content=body, headers={"content-type": content_type}), status)
    assert CompanyDepartmentTeam.objects.count() == before


def test_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Any:
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 100_000
        yield b'"}'

    url = team_url().rsplit("/", 1)[0]
    assert_problem(
        client.post(url, content=chunks(), headers={"content-type": "application/json"}), 413
    )


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/products/18446744073709551616", 422),
        ("/api/products?id=18446744073709551616", 400),
        ("/api/products?release_date=2024-02-30", 400),
        ("/api/products?name=%00", 400),
        ("/api/products?name=%ED%A0%80", 200),
        ("/api/warehouses/" + "x" * 13, 422),
        ("/api/tags/not-a-uuid", 422),
        # a zone offset PostgreSQL cannot store: compared in UTC
        ("/api/companies?created_at__lte=2149-07-10T18%3A25%3A01.58-18%3A42", 200),
    ],
)
def test_hostile_paths_and_filters_are_never_500(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text


def test_impossible_dates_in_bodies_are_422(client: TestClient) -> None:
    before = Product.objects.count()
    body = {"sku": "D-1", "name": "n", "price": "1", "release_date": "2023-02-29"}
    assert_problem(client.post("/api/products", json=body), 422)
    assert Product.objects.count() == before
