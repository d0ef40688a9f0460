"""The sandbox's gateway and ASGI application (``djgateway serve`` runs ``create_app``).

The ``business`` app is secured the way djfapi's README did it: JWT bearer tokens, company
scopes with ``any`` / ``own`` selectors, an ``objects_filter`` based on employees, and tenants.
The ``catalog`` app stays open. ``djgateway token`` mints development tokens for it.
One custom endpoint shows ``Gateway.action``: ``POST /companies/{company_id}/transfer-ownership``.
"""

from __future__ import annotations

import os

import django
from django.db.models import Q
from fastapi import FastAPI

from djgateway import Access, FieldScopes, Gateway, JWTBearer, Resource, Scopes

# SANDBOX ONLY: a fixed, public signing key so that development tokens can be minted.
SANDBOX_TOKENS = JWTBearer(
    key="djgateway-sandbox-signing-key-do-not-use-in-production-0123456789",
    algorithms=["HS256"],
    issuer="djgateway-sandbox",
    audience="djgateway-sandbox",
    scopes_claim="scope",
    tenant_claim="ten",
)
SERVICE = "business"


def company_objects_filter(access: Access) -> Q:
    """``…read.own`` / ``…update.own`` see only companies they own or administer."""
    if access.scope is not None and access.scope.selector == "own":
        return Q(employees__user_id=access.subject, employees__type__in=["owner", "admin"])
    return Q()


def build_gateway(*, secured: bool = True, fast_paths: bool = True) -> Gateway:
    """The sandbox gateway; ``secured=False`` opens the business app (used by some tests),
    ``fast_paths=False`` sends every read through the queryset path (the tests' oracle)."""
    business = (
        {
            "business.Company": Resource(
                exclude=["internal_notes"],
                search_fields=["name"],
                security=SANDBOX_TOKENS,
                scopes=Scopes.auto(SERVICE),
                objects_filter=company_objects_filter,
            ),
            "business.Employee": Resource(
                field_scopes={"email": FieldScopes(read=[f"{SERVICE}.employees.email.read"])}
            ),
            "business.CompanyCostcenter": Resource(delete_status=("status", "archived")),
        }
        if secured
        else {
            "business.Company": Resource(exclude=["internal_notes"], search_fields=["name"]),
            "business.CompanyCostcenter": Resource(delete_status=("status", "archived")),
        }
    )
    gateway = Gateway(
        apps=["business", "catalog"],
        resources={
            **business,
            "catalog.Product": Resource(search_fields=["^sku", "name", "description"]),
            "business.AuditEntry": Resource(expose=False),
        },
        fast_paths=fast_paths,
    )
    from .business.actions import transfer_ownership  # (the models need Django set up)

    gateway.action("business.Company", "transfer-ownership", scopes_of="patch")(transfer_ownership)
    return gateway


def create_app() -> FastAPI:
    """Set Django up (``DJANGO_SETTINGS_MODULE``, default: the sandbox) and build the app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djgateway.sandbox.settings")
    django.setup()
    return build_gateway().app(
        prefix="/api",
        title="djgateway sandbox",
        version="0.1.0",
        description=(
            "The sandbox project of djgateway: nested CRUD over two Django apps. The business "
            "app needs a bearer token: run `djgateway token --help`."
        ),
        license_info={"name": "MIT", "identifier": "MIT"},
        contact={"name": "djgateway maintainers"},
    )
