"""`djgateway routes`: the route tree as exact text, and as stable JSON."""

from __future__ import annotations

import json

from djgateway.cli.render import RouteTree, render_text
from djgateway.plan.describe import describe_plan
from djgateway.sandbox.gateway import build_gateway
from tests.cli import apps
from tests.cli.support import WIDTH, assert_golden, invoke

SMALL = "tests.cli.apps:small_gateway"


def test_routes_prints_the_tree_of_a_small_gateway() -> None:
    result = invoke("routes", "--app", SMALL)

    assert result.exit_code == 0
    assert_golden("routes_small.txt", result.stdout)


def test_tree_renders_the_same_text_outside_the_command() -> None:
    text = render_text(RouteTree(describe_plan(apps.small_gateway.plan)), WIDTH)

    assert_golden("routes_small.txt", text)


def test_routes_json_is_stable_json_of_the_plan() -> None:
    result = invoke("routes", "--app", SMALL, "--json")

    assert result.exit_code == 0
    assert_golden("routes_small.json", result.stdout)
    assert json.loads(result.stdout) == describe_plan(apps.small_gateway.plan)


def test_routes_json_says_why_a_resource_nested_and_what_is_hidden() -> None:
    resources = json.loads(invoke("routes", "--app", SMALL, "--json").stdout)["resources"]
    by_model = {resource["model"]: resource for resource in resources}

    books = by_model["testapp.Book"]
    assert books["parent"] == "libraries.shelves"
    assert books["nesting"] == "nested: 'shelf' is its only required CASCADE foreign key"
    assert books["id_param"] == {"name": "book_id", "type": "integer"}
    assert [p["name"] for p in books["path_parameters"]] == ["library_id", "shelf_id"]
    assert {
        "name": "password",
        "reason": "sensitive (list it in Resource(fields=...) to expose)",
    } in (by_model["testapp.Account"]["hidden"])


def test_routes_with_no_arguments_shows_the_sandbox() -> None:
    result = invoke("routes")

    assert result.exit_code == 0
    assert "├── companies  business.Company\n" in result.stdout
    assert "│   │   hidden        internal_notes: excluded\n" in result.stdout
    assert "audit" not in result.stdout


def test_routes_json_with_no_arguments_lists_every_sandbox_resource() -> None:
    result = invoke("routes", "--json")

    keys = [resource["key"] for resource in json.loads(result.stdout)["resources"]]
    assert keys == [resource.key for resource in build_gateway().plan]


def test_routes_accepts_a_gateway_factory() -> None:
    result = invoke("routes", "--app", "tests.cli.apps:make_gateway", "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == describe_plan(apps.testapp_gateway.plan)


def test_routes_shows_paths_as_served_under_the_prefix() -> None:
    sandbox = json.loads(invoke("routes", "--json").stdout)["resources"]
    mounted = json.loads(invoke("routes", "--app", "tests.cli.apps:make_app", "--json").stdout)
    at_root = json.loads(invoke("routes", "--app", "tests.cli.apps:make_gateway", "--json").stdout)

    assert sandbox[0]["item_path"] == "/api/categories/{category_id}"
    assert {op["path"] for op in mounted["resources"][0]["operations"]} == {
        f"/v1{op['path']}" for op in at_root["resources"][0]["operations"]
    }
