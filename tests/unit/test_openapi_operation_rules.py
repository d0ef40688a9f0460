"""Operation-level rules of the differ: lifecycle options and clock, messages and locations
(the rule ids and levels themselves are covered by tests/openapi_corpus/operations/)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from djgateway.openapi import Level, diff_documents
from djgateway.openapi.changes import DiffOptions
from djgateway.openapi.lifecycle import Lifecycle, sunset_date
from djgateway.openapi.rules import OPERATION_OWN_RULES, RULE_LEVELS

Doc = dict[str, Any]
NEW_YEAR = datetime.date(2026, 1, 1)


def _one(operation: Doc, **extra: Any) -> Doc:
    paths = {"/items": {"get": {"responses": {"200": {"description": "ok"}}, **operation}}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def _options(**settings: Any) -> DiffOptions:
    return DiffOptions(**settings, today=lambda: NEW_YEAR)


def test_the_clock_decides_whether_a_removal_comes_before_the_sunset() -> None:
    base = _one({"deprecated": True, "x-sunset": "2026-06-01"})
    revision: Doc = {**base, "paths": {}}

    before = diff_documents(base, revision, options=_options())
    after = diff_documents(
        base, revision, options=DiffOptions(today=lambda: datetime.date(2026, 7, 1))
    )

    assert [(c.rule, c.level) for c in before] == [("api-path-removed-before-sunset", Level.ERR)]
    assert "2026-06-01" in before[0].message
    assert after == []


def test_default_options_keep_the_behaviour_without_options() -> None:
    base, revision = _one({}), _one({"deprecated": True})

    assert diff_documents(base, revision) == diff_documents(base, revision, options=DiffOptions())


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        diff_documents(_one({}), _one({}), DiffOptions())  # type: ignore[misc]


@pytest.mark.parametrize(
    ("stability", "days"), [("", 30), ("stable", 30), ("beta", 10), ("alpha", 0), ("draft", 0)]
)
def test_deprecation_days_follow_the_stability_level(stability: str, days: int) -> None:
    options = _options(deprecation_days_stable=30, deprecation_days_beta=10)

    assert Lifecycle(options, stability).deprecation_days == days


def test_sunset_too_small_message_names_the_date_and_the_policy() -> None:
    options = _options(deprecation_days_stable=30)

    (change,) = diff_documents(
        _one({}), _one({"deprecated": True, "x-sunset": "2026-01-15"}), options=options
    )

    assert change.rule == "api-sunset-date-too-small"
    assert (change.path, change.method, change.direction) == ("/items", "get", "none")
    assert change.message == (
        "The sunset date 2026-01-15 of the operation is less than 30 days away."
    )


def test_parameter_lifecycle_changes_are_located_at_the_parameter() -> None:
    parameter = {"name": "q", "in": "query", "schema": {"type": "string"}}
    deprecated = {**parameter, "deprecated": True, "x-sunset": "2025-12-01"}

    (change,) = diff_documents(
        _one({"parameters": [parameter]}), _one({"parameters": [deprecated]}), options=_options()
    )

    assert (change.rule, change.direction, change.location) == (
        "request-parameter-sunset-date-too-small",
        "request",
        "parameter query q",
    )
    assert "query parameter q" in change.message


def test_parameter_default_change_message_shows_both_values() -> None:
    def doc(default: int) -> Doc:
        schema = {"type": "integer", "default": default}
        return _one({"parameters": [{"name": "limit", "in": "query", "schema": schema}]})

    (change,) = diff_documents(doc(10), doc(20))

    assert change.message == "The default of query parameter limit changed from 10 to 20."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-01", datetime.date(2026, 3, 1)),
        ("2026-03-01T23:30:00+02:00", datetime.date(2026, 3, 1)),
        ("2026-03-01t10:00:00z", datetime.date(2026, 3, 1)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),  # an unquoted YAML date
    ],
)
def test_sunset_dates_are_rfc3339(value: Any, expected: datetime.date) -> None:
    assert sunset_date(value) == expected


@pytest.mark.parametrize("value", ["20260301", "2026-3-1", "March 2026", 20260301, None])
def test_other_sunset_values_are_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="RFC 3339"):
        sunset_date(value)


def test_invalid_stability_level_is_reported_once_per_side() -> None:
    changes = diff_documents(_one({"x-stability-level": "ga"}), _one({"x-stability-level": "GA"}))

    assert [c.rule for c in changes] == ["api-invalid-stability-level"] * 2
    assert {c.message for c in changes} == {
        "The base x-stability-level 'ga' is not one of draft, alpha, beta or stable.",
        "The revised x-stability-level 'GA' is not one of draft, alpha, beta or stable.",
    }


def test_global_security_changes_are_not_tied_to_an_operation() -> None:
    changes = diff_documents(_one({}), _one({}, security=[{"bearer": []}]))

    assert {(c.path, c.method, c.location) for c in changes} == {("", "", "security")}


def test_narrowed_security_names_the_clients_that_are_locked_out() -> None:
    base = _one({"security": [{"apiKey": []}, {"oauth": ["read"]}]})
    revision = _one({"security": [{"oauth": ["read", "write"]}]})

    narrowed = [c for c in diff_documents(base, revision) if c.rule == "api-security-narrowed"]

    assert sorted(c.message for c in narrowed) == [
        "Clients authenticating with apiKey are no longer accepted by the operation.",
        "Clients authenticating with oauth are no longer accepted by the operation.",
    ]


def test_own_rule_ids_are_registered_with_a_level() -> None:
    assert RULE_LEVELS.keys() >= OPERATION_OWN_RULES
    assert RULE_LEVELS["api-security-anonymous-access-removed"] is Level.ERR
    assert RULE_LEVELS["api-security-narrowed"] is Level.ERR


@pytest.mark.parametrize(
    ("rule", "level"),
    [  # oasdiff-rules.tsv levels, including the ones rules.py used to raise to ERR
        ("api-security-removed", Level.INFO),
        ("api-security-scope-added", Level.INFO),
        ("api-global-security-added", Level.INFO),
        ("api-stability-decreased", Level.ERR),
        ("request-parameter-default-value-changed", Level.ERR),
        ("request-body-media-type-schema-added", Level.ERR),
        ("response-body-media-type-schema-removed", Level.WARN),
        ("webhook-removed", Level.ERR),
        ("sunset-deleted", Level.ERR),
    ],
)
def test_levels_follow_oasdiff(rule: str, level: Level) -> None:
    assert RULE_LEVELS[rule] is level
