"""Targets for `--app tests.cli.apps:<name>`: gateways, apps, factories, and wrong things."""

from __future__ import annotations

from fastapi import FastAPI

from djgateway import Gateway, Resource

testapp_gateway = Gateway(apps=["testapp"])
misconfigured = Gateway(apps=["testapp"], resources={"testapp.Missing": Resource()})
unknown_app = Gateway(apps=["no_such_app"])
not_a_gateway = 42

plain_app = FastAPI(title="plain", version="1")


@plain_app.get("/ping", operation_id="ping")
def ping() -> dict[str, str]:
    return {"ping": "pong"}


def make_gateway() -> Gateway:
    return Gateway(apps=["testapp"])


def make_app() -> FastAPI:
    return Gateway(apps=["testapp"]).app(prefix="/v1", title="testapp", version="1")


def needs_arguments(prefix: str) -> FastAPI:
    return Gateway(apps=["testapp"]).app(prefix=prefix)


# The gateway of the golden `routes` output: top-level, nested to depth three, hidden fields.
small_gateway = Gateway(
    apps=["testapp"],
    resources={
        label: Resource(expose=False)
        for label in (
            "testapp.Alpha",
            "testapp.Beta",
            "testapp.Gauge",
            "testapp.Node",
            "testapp.Page",
            "testapp.Tag",
        )
    },
)
