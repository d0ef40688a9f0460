"""``Gateway``: Django apps in, one FastAPI router out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import AppConfig
from django.db import models

from .actions import ActionMethod, ActionTarget, ResourceAction, ScopesOf
from .errors import ConfigurationError
from .gc_pause import paused_gc
from .introspect import read_models
from .introspect.graph import model_label
from .plan import GatewayOptions, GatewayPlan, build_plan, left_out_before_reading
from .plan.actions import with_actions
from .resources import Resource
from .schemas import ResourceSchemas, build_schemas
from .schemas.fields import missing_type
from .security import Authenticator, Scopes

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

ModelKey = str | type[models.Model]
Function = TypeVar("Function", bound=Callable[..., Any])


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
        self.actions: list[ResourceAction] = []  # Gateway.action, in declaration order

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
        plan = build_plan(models, self.resources, self.options, left_out, warnings)
        return with_actions(plan, self.actions)

    def action(
        self,
        model: ModelKey,
        name: str,
        *,
        method: ActionMethod = "POST",
        on: ActionTarget = "item",
        scopes_of: ScopesOf | None = None,
        scopes: Sequence[str] | None = None,
    ) -> Callable[[Function], Function]:
        """Serve the decorated plain ``def`` at ``<item path>/<name>`` (``on="item"``) or
        ``<collection path>:<name>`` (``on="collection"``) of ``model``'s resource, with its
        authentication, tenant, row filters and parent chain, inside Django's request signals
        and, unless ``method="GET"``, one transaction.

        Its parameters are filled by annotation (or name): the object (``on="item"``: loaded
        as the retrieve route loads it, locked for a write, else 404), a pydantic model (the
        JSON body), ``Access`` (``access``), the parent objects. It returns an instance of the
        model (answered with the read schema), a pydantic model (as is) or ``None`` (204).
        Scopes: the generated method's named by ``scopes_of`` (``"get"``, ``"patch"``, ...),
        or explicit ``scopes``; by default the method's own (an item's POST: ``"patch"``).
        """

        def register(function: Function) -> Function:
            if "plan" in self.__dict__:
                raise ConfigurationError(
                    "djgateway.E018",
                    f"action {name!r}: declared after the gateway was built; declare actions "
                    "before the first use of plan, router or app()",
                )
            self.actions.append(
                ResourceAction(
                    model=_label(model),
                    name=name,
                    function=function,
                    method=method,
                    on=on,
                    scopes_of=scopes_of,
                    scopes=tuple(scopes) if scopes is not None else None,
                )
            )
            return function

        return register

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

    @property
    def openapi_tags(self) -> list[dict[str, Any]]:
        """A described tag per resource, for ``FastAPI(openapi_tags=...)`` (``app()`` adds
        them after the ones it is given)."""
        from .binding.descriptions import openapi_tags

        return openapi_tags(self.plan)

    def app(self, prefix: str = "", **fastapi_options: Any) -> FastAPI:
        """A FastAPI application serving this gateway under ``prefix``; every error it answers,
        an unknown path's 404 too, is a problem+json document. Its ``openapi()`` is
        ``djgateway.binding.openapi``'s: FastAPI's document, built faster. Its ``docs_url``
        and ``redoc_url`` (``/docs``, ``/redoc`` unless given) work offline: their scripts
        are served by the app itself (``install_offline_docs``), not loaded from a CDN.
        The document lists ``servers`` (``[{"url": "/"}]`` unless given) and a described tag
        per resource (``openapi_tags``, after any given); pass ``license_info=`` and
        ``contact=`` for its ``info``."""
        from fastapi import FastAPI

        from .binding import (
            include_gateway,
            install_offline_docs,
            install_openapi,
            install_problem_handlers,
            resolve_routes,
        )

        # "/" is what a document without servers means, said explicitly: under a mount or a
        # root_path, FastAPI's /openapi.json lists that path first.
        fastapi_options.setdefault("servers", [{"url": "/"}])
        given = list(fastapi_options.get("openapi_tags") or ())
        named = {tag["name"] for tag in given}
        fastapi_options["openapi_tags"] = given + [
            tag for tag in self.openapi_tags if tag["name"] not in named
        ]
        docs_url = fastapi_options.pop("docs_url", "/docs")
        redoc_url = fastapi_options.pop("redoc_url", "/redoc")
        application = FastAPI(docs_url=None, redoc_url=None, **fastapi_options)
        # Before the gateway's routes, where FastAPI puts its own pages.
        install_offline_docs(application, docs_url=docs_url, redoc_url=redoc_url)
        with paused_gc():
            include_gateway(application, self.router, prefix)
            resolve_routes(application)
        install_problem_handlers(application)
        install_openapi(application)
        return application


def _label(key: ModelKey) -> str:
    return key if isinstance(key, str) else model_label(key)
