"""Each model set builds without overrides into a valid, language-independent OpenAPI document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from openapi_spec_validator import validate

from djgateway import Gateway

from .gateways import CONTRIB, contrib_gateway, oscar_gateway, shop_gateway

SETS: dict[str, Callable[[], Gateway]] = {
    "contrib": contrib_gateway,
    "shop": shop_gateway,
    "oscar": oscar_gateway,
}


def document(gateway: Gateway) -> dict[str, Any]:
    return gateway.app().openapi()


@pytest.mark.parametrize("name", SETS)
def test_builds_without_overrides_into_a_valid_document(name: str) -> None:
    gateway = SETS[name]()
    spec = document(gateway)

    validate(spec)
    assert len(gateway.plan.resources) > 5
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            names = [(p["in"], p["name"]) for p in operation.get("parameters", [])]
            repeated = [key for key, count in Counter(names).items() if count > 1]
            assert repeated == [], f"{method.upper()} {path}"
    assert all(not problem.is_error for problem in gateway.plan.warnings)


@pytest.mark.parametrize("name", SETS)
def test_names_do_not_follow_the_active_language(name: str) -> None:
    def names(language: str) -> tuple[Any, ...]:
        with translation.override(language):
            gateway = SETS[name]()
            spec = document(gateway)
        scopes = sorted(
            {s for r in gateway.plan for req in r.security.required.values() for s in req.scopes}
        )
        return (
            sorted(spec["paths"]),
            sorted(spec["components"]["schemas"]),
            sorted(t["name"] for t in spec.get("tags", [])),
            [r.segment for r in gateway.plan],
            scopes,
            spec,
        )

    assert names("de") == names("en-us") == names("en-gb") == names("fr")


def test_scopes_do_not_follow_the_active_language() -> None:
    from djgateway import Scopes

    def scopes(language: str) -> list[str]:
        with translation.override(language):
            plan = Gateway(CONTRIB, scopes=Scopes.auto("svc")).plan
        return sorted(
            scope
            for r in plan
            for required in r.security.required.values()
            for scope in required.scopes
        )

    found = scopes("de")
    assert found == scopes("en-us")
    assert "svc.users.read.any" in found
    assert not [scope for scope in found if "benutzer" in scope or "gruppen" in scope]


def test_same_named_models_are_qualified_by_their_app() -> None:
    plan = oscar_gateway().plan
    lines = {r.label: r for r in plan if r.model.object_name == "Line"}

    assert set(lines) >= {"basket.Line", "order.Line", "wishlists.Line"}
    assert {r.schema_name for r in lines.values()} >= {"BasketLine", "OrderLine", "WishlistsLine"}
    assert plan.get("catalogue.Product").schema_name == "Product"  # no clash, no prefix


def test_a_lookup_table_does_not_own_the_rows_that_point_to_it() -> None:
    plan = oscar_gateway().plan
    address = plan.get("order.ShippingAddress")

    assert address.parent_key is None
    assert "lookup table" in address.nesting


def test_a_many_to_many_to_its_own_model_gets_its_own_path_parameter() -> None:
    spec = document(oscar_gateway())
    linked = [p for p in spec["paths"] if "/recommended-products/" in p]

    assert linked == ["/products/{product_id}/recommended-products/{recommended_product_id}"]


def test_session_data_is_not_exposed_by_default() -> None:
    gateway = contrib_gateway()

    assert "sessions.Session" not in {r.label for r in gateway.plan}
    assert any(w.code == "djgateway.W002" for w in gateway.plan.warnings)


def test_every_startup_error_is_reported_at_once() -> None:
    from djgateway import Resource
    from djgateway.errors import ConfigurationError

    gateway = Gateway(
        ["shop"],
        {
            "shop.Book": Resource(exclude=["nope"]),
            "shop.Publisher": Resource(parent="name"),
            "shop.Voucher": Resource(sync_matching=["missing"]),
        },
    )
    with pytest.raises(ConfigurationError) as raised:
        _ = gateway.plan

    messages = [str(p) for p in raised.value.problems]
    assert len(messages) == 3, messages
    assert any("shop.Book" in m and "nope" in m for m in messages)
    assert any("shop.Publisher" in m for m in messages)
    assert any("shop.Voucher" in m for m in messages)


def test_a_field_without_a_schema_type_is_left_out_with_a_warning() -> None:
    gateway = shop_gateway()
    publishers = gateway.plan.get("shop.Publisher")

    assert "headquarters" not in {f.name for f in publishers.fields}
    assert any(entry.startswith("headquarters:") for entry in publishers.hidden)
    (warning,) = [w for w in gateway.plan.warnings if "headquarters" in w.message]
    assert warning.code == "djgateway.W001"
    assert "register_field" in warning.message
    assert (
        "headquarters"
        not in document(gateway)["components"]["schemas"]["PublisherRead"]["properties"]
    )
