"""The sandbox's gateway and ASGI application (``djgateway serve`` runs ``create_app``)."""

from __future__ import annotations

import os

import django
from fastapi import FastAPI

from djgateway import Gateway, Resource


def build_gateway() -> Gateway:
    return Gateway(
        apps=["business", "catalog"],
        resources={
            "business.Company": Resource(exclude=["internal_notes"], search_fields=["name"]),
            "catalog.Product": Resource(search_fields=["^sku", "name", "description"]),
            "business.AuditEntry": Resource(expose=False),
        },
    )


def create_app() -> FastAPI:
    """Set Django up (``DJANGO_SETTINGS_MODULE``, default: the sandbox) and build the app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djgateway.sandbox.settings")
    django.setup()
    return build_gateway().app(
        prefix="/api",
        title="djgateway sandbox",
        version="0.1.0",
        description="The sandbox project of djgateway: nested CRUD over two Django apps.",
    )
