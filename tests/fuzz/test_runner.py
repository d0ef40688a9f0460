"""The runner API: reproducible reports, crashes as 500s, failures that do not count."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi import FastAPI

from djgateway.fuzz import FuzzOptions, FuzzReport, run_fuzz
from djgateway.fuzz.accepted import depends_on_data
from djgateway.fuzz.asgi import crash_as_500
from djgateway.fuzz.runner import schemathesis_config
from djgateway.fuzz.stateful import stateful_groups

from . import apps

PROBLEM = {"content-type": ["application/problem+json"]}


def outcome(report: FuzzReport) -> tuple[Any, ...]:
    statuses = {label: dict(stats.statuses) for label, stats in report.operations.items()}
    return report.seed, statuses, report.failures


def test_the_same_seed_gives_the_same_report() -> None:
    options = FuzzOptions(max_examples=15, seed=3, include="^/items")

    first, second = run_fuzz(apps.app, options), run_fuzz(apps.app, options)

    assert outcome(first) == outcome(second)
    assert first.requests > 15


def test_without_a_seed_the_report_names_the_one_used() -> None:
    report = run_fuzz(apps.healthy, FuzzOptions(max_examples=2, stateful=False))

    assert report.passed
    assert 0 <= report.seed < 2**32


def test_a_run_is_configured_for_reproducibility() -> None:
    config = schemathesis_config(FuzzOptions(seed=5, token="t0k3n"), 5)

    assert config["seed"] == 5
    assert (config["workers"], config["cache"]) == (1, {"enabled": False})
    assert config["generation"]["database"] == "none"
    assert config["headers"] == {"Authorization": "Bearer t0k3n"}


@pytest.mark.parametrize("max_examples", [1, 3])
def test_max_examples_bounds_the_coverage_phase(max_examples: int) -> None:
    options = FuzzOptions(max_examples=max_examples, seed=1, stateful=False)

    report = run_fuzz(apps.filters, options)

    # per parameter (5), the query as a whole and the request as a whole, at most
    # max_examples valid and invalid cases of different kinds; plus the shape probes
    # (seven unknown methods, a malformed content type). Unbounded: 17 per parameter.
    assert 0 < report.phases["coverage"] <= 2 * max_examples * 7 + 8
    assert report.phases["fuzzing"] <= 2 * max_examples


def test_stateful_groups_follow_the_ownership_tree(sandbox_app: FastAPI) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_asgi("/openapi.json", sandbox_app)
    teams = "/api/companies/{company_id}/departments/{department_id}/teams"

    groups = {group.operations: group.links for group in stateful_groups(schema)}

    chain = frozenset(
        {
            "POST /api/companies",
            "POST /api/companies/{company_id}/departments",
            f"POST {teams}",
            f"GET {teams}/{{team_id}}",
            f"PUT {teams}/{{team_id}}",
            f"PATCH {teams}/{{team_id}}",
            f"DELETE {teams}/{{team_id}}",
        }
    )
    # company → department → team → read, replace, update, delete; deleted → read again
    assert groups[chain] == 7


def call(app: Any, path: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}
    asyncio.run(crash_as_500(app)(scope, receive, send))
    return sent


def test_an_exception_escaping_the_app_becomes_a_500() -> None:
    async def crashing(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    start, body = call(crashing, "/")

    assert (start["type"], start["status"]) == ("http.response.start", 500)
    assert body["body"] == b"Internal Server Error"


def test_a_500_already_sent_is_not_sent_twice() -> None:
    sent = call(apps.app, "/boom")  # Starlette answers 500, then re-raises

    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [500]


def problem(*errors: dict[str, Any]) -> bytes:
    return json.dumps({"status": 422, "errors": list(errors)}).encode()


def test_rejections_that_depend_on_the_database_do_not_count() -> None:
    missing = {"loc": ["body", "category_id"], "code": "does_not_exist"}
    taken = {"loc": ["body", "slug"], "code": "unique"}
    cursor = {"loc": ["query", "cursor"], "code": "invalid"}

    # a phone number checked against a country that does not exist: a consequence
    phone = {"loc": ["body", "phone_number"], "code": "invalid"}

    assert depends_on_data(422, PROBLEM, problem(missing))
    assert depends_on_data(422, PROBLEM, problem(missing, taken))
    assert depends_on_data(422, PROBLEM, problem(missing, phone))
    assert depends_on_data(400, PROBLEM, problem(cursor))


def test_rules_no_schema_states_do_not_count_where_the_schema_says_so() -> None:
    domain = {"loc": ["body", "domain"], "code": "invalid"}
    out_of_range = {"loc": ["body", "placed"], "code": "datetime_out_of_range"}

    assert depends_on_data(422, PROBLEM, problem(domain), frozenset({"domain"}))
    assert depends_on_data(422, PROBLEM, problem(out_of_range))
    assert not depends_on_data(422, PROBLEM, problem(domain))  # not a field with such rules
    assert not depends_on_data(422, PROBLEM, problem(domain), frozenset({"name"}))


def test_other_rejections_still_count() -> None:
    blank = {"loc": ["body", "name"], "code": "blank"}

    assert not depends_on_data(422, PROBLEM, problem(blank))
    assert not depends_on_data(422, PROBLEM, problem())
    missing = {"loc": ["body", "category_id"], "code": "does_not_exist"}
    assert not depends_on_data(400, PROBLEM, problem(missing))
    assert not depends_on_data(422, {"content-type": ["application/json"]}, problem(missing))
    assert not depends_on_data(422, PROBLEM, b"not json")
