"""`describe_plan`: the plain data behind `djgateway routes` (tree and `--json`)."""

from __future__ import annotations

import json

import pytest

from djgateway.introspect import FieldInfo
from djgateway.plan.describe import describe_plan, field_type_name, path_type_name
from djgateway.sandbox.gateway import build_gateway
from tests.cli import apps


@pytest.mark.parametrize(
    ("pk", "expected"),
    [
        (FieldInfo("id", "id", "BigAutoField", primary_key=True), "integer"),
        (FieldInfo("id", "id", "PositiveSmallIntegerField", primary_key=True), "integer"),
        (FieldInfo("id", "id", "UUIDField", primary_key=True, max_length=32), "uuid"),
        (
            FieldInfo("code", "code", "CharField", primary_key=True, max_length=12),
            "string (max 12)",
        ),
        (FieldInfo("slug", "slug", "TextField", primary_key=True), "string"),
    ],
    ids=["big-auto", "small-integer", "uuid", "char", "text"],
)
def test_path_parameter_type_follows_the_primary_key(pk: FieldInfo, expected: str) -> None:
    assert path_type_name(pk) == expected


def test_field_types_name_their_relation_or_length_but_not_the_uuid_length() -> None:
    assert field_type_name(FieldInfo("name", "name", "CharField", max_length=50)) == (
        "CharField(max_length=50)"
    )
    assert field_type_name(FieldInfo("id", "id", "UUIDField", max_length=32)) == "UUIDField"


def test_description_is_plain_json_data() -> None:
    description = describe_plan(build_gateway().plan)

    assert json.loads(json.dumps(description)) == description


def test_fields_say_who_may_write_them() -> None:
    shelves = next(
        r
        for r in describe_plan(apps.small_gateway.plan)["resources"]
        if r["key"] == "libraries.shelves"
    )

    assert [(f["name"], f["access"]) for f in shelves["fields"]] == [
        ("id", "read-only"),
        ("library_id", "read-only"),
        ("label", "read-write"),
    ]


def test_string_primary_key_that_clients_choose_is_create_only() -> None:
    warehouses = next(
        r
        for r in describe_plan(build_gateway().plan)["resources"]
        if r["model"] == "catalog.Warehouse"
    )

    assert warehouses["id_param"]["type"] == "string (max 12)"
    assert warehouses["fields"][0]["access"] == "create-only"


def test_query_surface_groups_filter_operators_by_name() -> None:
    companies = next(
        r for r in describe_plan(build_gateway().plan)["resources"] if r["key"] == "companies"
    )
    query = companies["query"]

    assert {"name": "name", "operators": ["exact", "in", "icontains", "istartswith"]} in query[
        "filters"
    ]
    assert query["search"] == [{"name": "name", "mode": "icontains"}]
    assert "departments__count" in query["ordering"]


def test_scopes_row_filter_and_tenant_field_are_empty_until_security_fills_them() -> None:
    (accounts, *_) = describe_plan(apps.small_gateway.plan)["resources"]

    assert (accounts["row_filter"], accounts["tenant_field"]) == (None, None)
    assert {json.dumps(op["scopes"]) for op in accounts["operations"]} == {
        '{"own": [], "inherited": []}'
    }
    assert {json.dumps(f["scopes"]) for f in accounts["fields"]} == {'{"read": [], "write": []}'}
