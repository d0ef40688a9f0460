"""Issue 13, cost at scale: what keeps building a gateway and its document cheap, without
timing anything (``benchmarks/build_cost.py`` times it).

``Gateway.app()`` serves the document of ``djgateway.binding.openapi``; it must be FastAPI's own
to the byte, also for an application that mixes a gateway with routes of its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from djgateway import Gateway
from djgateway.binding import install_openapi
from djgateway.schemas import Problem

from .gateways import contrib_gateway, oscar_gateway, shop_gateway

SETS: dict[str, Callable[[], Gateway]] = {
    "contrib": contrib_gateway,
    "shop": shop_gateway,
    "oscar": oscar_gateway,
}


def fastapi_document(app: FastAPI) -> dict[str, Any]:
    """The document of FastAPI's own generator (``FastAPI.openapi`` without djgateway's)."""
    return get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        summary=app.summary,
        description=app.description,
        terms_of_service=app.terms_of_service,
        contact=app.contact,
        license_info=app.license_info,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        tags=app.openapi_tags,
        servers=app.servers,
        separate_input_output_schemas=app.separate_input_output_schemas,
        external_docs=app.openapi_external_docs,
    )


def same_bytes(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
    assert json.dumps(ours) == json.dumps(theirs)  # the served JSON: even the key order


@pytest.mark.parametrize("name", SETS)
def test_the_gateway_document_is_fastapis_own(name: str) -> None:
    app = SETS[name]().app(title=name, version="1", description="documented")

    ours = app.openapi()

    same_bytes(ours, fastapi_document(app))
    assert app.openapi() is ours  # cached on the app, as FastAPI does


def test_an_application_of_its_own_gets_the_same_document_either_way() -> None:
    class Greeting(BaseModel):
        text: str

    gateway = shop_gateway()

    def application() -> FastAPI:
        app = FastAPI(title="mine")

        @app.get("/greetings/{name}", response_model=Greeting)
        def greet(name: str) -> Greeting:
            return Greeting(text=name)

        app.include_router(gateway.router, prefix="/shop")
        return app

    plain = application()  # FastAPI's generator, as for any application
    theirs = plain.openapi()
    ours = install_openapi(application()).openapi()

    same_bytes(ours, theirs)
    assert "/greetings/{name}" in ours["paths"] and "/shop/products" in ours["paths"]
    assert {"Greeting", "Problem", "ProblemFieldError"} <= ours["components"]["schemas"].keys()


def test_a_route_added_later_is_in_the_next_document() -> None:
    app = contrib_gateway().app()
    before = app.openapi()

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"ping": "pong"}

    after = app.openapi()
    assert "/ping" not in before["paths"] and "/ping" in after["paths"]
    same_bytes(after, fastapi_document(app))


def test_problem_is_one_model_field_however_many_error_responses() -> None:
    """Every error response refers to the Problem schema by hand; FastAPI needs the model
    named once to put it into the document (each naming costs it a pydantic TypeAdapter)."""
    gateway = oscar_gateway()
    routes = [route for router in gateway.router.resource_routers for route in router.routes]

    named = [
        code
        for route in routes
        for code, response in getattr(route, "responses", {}).items()
        if response.get("model") is Problem
    ]
    error_responses = sum(
        code != route.status_code and code >= 400
        for route in routes
        for code in getattr(route, "responses", {})
    )
    assert named == [503]
    assert error_responses > 2000


def test_with_an_unchecked_fastapi_the_document_is_fastapis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from djgateway.binding import openapi

    monkeypatch.setattr(openapi, "CHECKED_DIGEST", "another FastAPI")
    openapi.mirrors_fastapi.cache_clear()
    try:
        app = contrib_gateway().app()
        assert "openapi" not in vars(app)  # FastAPI's own method, not replaced
        same_bytes(app.openapi(), fastapi_document(app))
        assert openapi.openapi_document(title="t", version="1", routes=app.routes) == get_openapi(
            title="t", version="1", routes=app.routes
        )
    finally:
        monkeypatch.undo()
        openapi.mirrors_fastapi.cache_clear()


def test_a_route_added_to_the_gateway_router_is_served_by_its_app() -> None:
    gateway = contrib_gateway()

    @gateway.router.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    app = gateway.app(prefix="/api")

    assert "/api/health" in app.openapi()["paths"]
    assert "/api/sites" in app.openapi()["paths"]
    same_bytes(app.openapi(), fastapi_document(app))
