"""``?fields=`` is a sparse fieldset: the fuzzer accepts items without the keys it left out,
and nothing else. Real responses of the sandbox, checked by Schemathesis's own validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.core.failures import Failure, FailureGroup

from djgateway.fuzz.accepted import VIOLATES_SCHEMA, keep_failure, left_out_by_fields

pytestmark = pytest.mark.usefixtures("demo")

PRODUCTS = "/api/products"
Items = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@pytest.fixture
def products(open_sandbox_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", open_sandbox_app)[PRODUCTS]["GET"]


def failures(operation: Any, query: dict[str, Any], edit: Items | None = None) -> list[Any]:
    """The response-schema failures of ``GET /api/products?query`` (its items edited first)."""
    case = operation.Case(query=query)
    response = case.call()
    assert response.status_code == 200, response.content
    if edit is not None:
        page = json.loads(response.content)
        page["items"] = edit(page["items"])
        response = schemathesis.Response(
            status_code=response.status_code,
            headers=response.headers,
            content=json.dumps(page).encode(),
            request=response.request,
            elapsed=response.elapsed,
            verify=response.verify,
        )
    try:
        operation.validate_response(response, case=case)
    except FailureGroup as group:
        found = list(group.exceptions)
    except Failure as failure:
        found = [failure]
    else:
        found = []
    return [(failure, case, response) for failure in found]


def kept(found: list[Any]) -> list[Any]:
    return [failure for failure, case, answer in found if keep_failure(None, failure, case, answer)]


@pytest.mark.parametrize("fields", [["sku", "price"], "sku,price"], ids=["repeated", "comma"])
def test_keys_left_out_by_fields_are_accepted(products: Any, fields: Any) -> None:
    found = failures(products, {"fields": fields})

    assert [failure.code for failure, _case, _response in found] == [VIOLATES_SCHEMA]
    assert kept(found) == []


def test_a_full_page_has_every_required_key(products: Any) -> None:
    assert failures(products, {}) == []


def test_a_selected_key_missing_from_any_item_still_counts(products: Any) -> None:
    def drop_last_sku(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        del items[-1]["sku"]  # the first items are fine: Schemathesis reports the first one
        return items

    found = failures(products, {"fields": ["sku", "price"]}, drop_last_sku)

    assert len(kept(found)) == 1


def test_another_violation_of_a_sparse_page_still_counts(products: Any) -> None:
    def price_as_number(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items[0]["price"] = 19.99  # documented as a decimal string
        return items

    found = failures(products, {"fields": ["sku", "price"]}, price_as_number)

    assert len(found) == 2  # the keys left out (accepted) and the type (not)
    [failure] = kept(found)
    assert list(failure.instance_path) == ["items", 0, "price"]


def test_missing_keys_without_fields_still_count(products: Any) -> None:
    def drop_name(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in item.items() if k != "name"} for item in items]

    assert len(kept(failures(products, {}, drop_name))) == 1


def test_only_a_page_items_required_keyword_qualifies() -> None:
    schema = {"required": ["id", "sku"]}
    body = json.dumps({"items": [{"sku": "S"}], "next_cursor": None}).encode()
    path, type_path = ["x-bundled", "s1", "required"], ["x-bundled", "s1", "type"]
    item = ["items", 0]
    sku = {"fields": ["sku"]}

    assert left_out_by_fields(sku, path, item, schema, body)
    assert not left_out_by_fields({}, path, item, schema, body)
    assert not left_out_by_fields({"fields": ["id"]}, path, item, schema, body)
    assert not left_out_by_fields(sku, type_path, item, schema, body)
    assert not left_out_by_fields(sku, path, [], schema, body)
    assert not left_out_by_fields(sku, path, item, schema, b"[]")
