"""``Gateway``: Django apps in, one FastAPI router out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.db import models

from .gc_pause import paused_gc
from .introspect import read_models
from .introspect.graph import model_label
from .plan import GatewayOptions, GatewayPlan, build_plan, left_out_before_reading
from .resources import Resource
from .schemas import ResourceSchemas, build_schemas
from .schemas.fields import missing_type
from .security import Authenticator, Scopes

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

ModelKey = str | type[models.Model]


class Gateway:
    """Expose the models of some Django apps as nested CRUD resources.

    Everything is computed lazily, on first access to ``plan`` or ``router``, so a
    ``Gateway`` may be declared before ``django.setup()``; configuration errors are raised
    then as ``ConfigurationError`` with a stable code.
    """

    def __init__(
        self,
        apps: Sequence[str | AppConfig],
        resources: Mapping[ModelKey, Resource] | None = None,
        *,
        security: Authenticator | None = None,
        scopes: Scopes | None = None,
        tenant_field: str | None = "tenant_id",
        max_body_size: int | None = 1024 * 1024,
        fast_paths: bool = True,
    ) -> None:
        """``security``, ``scopes`` and ``tenant_field`` are defaults for every resource;
        ``max_body_size`` (bytes) caps request bodies (413 beyond it); ``fast_paths=False``
        sends every read through the queryset and the read schema (``djgateway routes``
        shows which path each resource takes, and why)."""
        self.max_body_size = max_body_size
        self.apps = tuple(apps)
        self.resources = {_label(key): value for key, value in (resources or {}).items()}
        self.options = GatewayOptions(
            security=security, scopes=scopes, tenant_field=tenant_field, fast_paths=fast_paths
        )

    @cached_property
    def plan(self) -> GatewayPlan:
        # A proxy model is read only when an override names it (and then exposed unless
        # that override says expose=False).
        left_out = left_out_before_reading(self.resources)
        models, warnings = read_models(
            self.apps,
            include_proxies=self.resources,
            leave_out=left_out,
            representable=missing_type,
        )
        return build_plan(models, self.resources, self.options, left_out, warnings)

    @cached_property
    def schemas(self) -> dict[str, ResourceSchemas]:
        built: dict[str, ResourceSchemas] = {}
        with paused_gc():  # ~400 pydantic models: see gc_pause.py
            for resource in reversed(self.plan.resources):  # children before their parents
                built[resource.key] = build_schemas(resource, built)
        return {resource.key: built[resource.key] for resource in self.plan}

    @cached_property
    def router(self) -> APIRouter:
        from .binding import build_router

        with paused_gc():  # also while the plan and the schemas are built, when still due
            return build_router(self.plan, self.schemas, self.max_body_size)

    def app(self, prefix: str = "", **fastapi_options: Any) -> FastAPI:
        """A FastAPI application serving this gateway under ``prefix``; every error it answers,
        an unknown path's 404 too, is a problem+json document. Its ``openapi()`` is
        ``djgateway.binding.openapi``'s: FastAPI's document, built faster."""
        from fastapi import FastAPI

        from .binding import (
            include_gateway,
            install_openapi,
            install_problem_handlers,
            resolve_routes,
        )

        application = FastAPI(**fastapi_options)
        with paused_gc():
            include_gateway(application, self.router, prefix)
            resolve_routes(application)
        install_problem_handlers(application)
        install_openapi(application)
        return application


def _label(key: ModelKey) -> str:
    return key if isinstance(key, str) else model_label(key)
