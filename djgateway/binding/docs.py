"""/docs and /redoc without a CDN: Swagger UI and ReDoc served from an installed package.

FastAPI's own pages load their scripts from jsDelivr, so they are blank without a network.
These are the same pages (FastAPI's ``get_swagger_ui_html`` / ``get_redoc_html``) pointing
at the files that the ``fastapi-offline`` package ships (swagger-ui-dist's bundle and css,
ReDoc's standalone bundle, FastAPI's favicon), mounted under ``assets_url``.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.routing import APIRoute
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

ASSETS_PACKAGE: Final = ("fastapi_offline", "static")

# Under the application's own: a token pasted into Authorize survives a reload, and no
# request goes to validator.swagger.io (the badge Swagger UI shows for a public host).
SWAGGER_UI_DEFAULTS: Final[dict[str, Any]] = {"persistAuthorization": True, "validatorUrl": None}


class _AppUrl(Enum):
    """The application's own ``docs_url`` / ``redoc_url``."""

    APP = "app"


APP_URL: Final = _AppUrl.APP


def install_offline_docs(
    app: FastAPI,
    *,
    docs_url: str | _AppUrl | None = APP_URL,
    redoc_url: str | _AppUrl | None = APP_URL,
    assets_url: str = "/docs-assets",
) -> FastAPI:
    """Serve Swagger UI at ``docs_url`` (and its OAuth2 redirect page at
    ``app.swagger_ui_oauth2_redirect_url``) and ReDoc at ``redoc_url``, each the app's own
    unless given (``None``: not served), with their files under ``assets_url``; FastAPI's
    CDN pages at those paths are replaced. Nothing is served while ``app.openapi_url`` is
    ``None``, as with FastAPI. URLs in the pages follow the request's ``root_path``."""
    docs = app.docs_url if docs_url is APP_URL else docs_url
    redoc = app.redoc_url if redoc_url is APP_URL else redoc_url
    _drop_cdn_pages(app)
    app.docs_url, app.redoc_url = docs, redoc
    openapi_url = app.openapi_url
    if openapi_url is None or (docs is None and redoc is None):
        return app
    app.mount(assets_url, StaticFiles(packages=[ASSETS_PACKAGE]), name="docs-assets")
    assets = assets_url.rstrip("/")

    if docs is not None:
        redirect_url = app.swagger_ui_oauth2_redirect_url

        async def swagger_ui_html(request: Request) -> HTMLResponse:
            root = _root_path(request)
            return get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{root}{assets}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{assets}/swagger-ui.css",
                swagger_favicon_url=f"{root}{assets}/favicon.png",
                oauth2_redirect_url=root + redirect_url if redirect_url else None,
                init_oauth=app.swagger_ui_init_oauth,
                swagger_ui_parameters={**SWAGGER_UI_DEFAULTS, **(app.swagger_ui_parameters or {})},
            )

        app.add_route(docs, swagger_ui_html, include_in_schema=False)
        if redirect_url:

            async def swagger_ui_redirect(request: Request) -> HTMLResponse:
                return get_swagger_ui_oauth2_redirect_html()

            app.add_route(redirect_url, swagger_ui_redirect, include_in_schema=False)

    if redoc is not None:

        async def redoc_html(request: Request) -> HTMLResponse:
            root = _root_path(request)
            return get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{assets}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{assets}/favicon.png",
                with_google_fonts=False,  # fonts.googleapis.com: the pages use local fonts
            )

        app.add_route(redoc, redoc_html, include_in_schema=False)
    return app


def _root_path(request: Request) -> str:
    # As FastAPI's pages: the prefix a proxy or a parent app serves this app under.
    root: str = request.scope.get("root_path", "")
    return root.rstrip("/")


def _drop_cdn_pages(app: FastAPI) -> None:
    """Remove the pages ``FastAPI.setup`` added for the app's current URLs (they would answer
    first); its ``openapi_url`` route stays."""
    pages = {app.redoc_url}
    if app.docs_url:
        pages |= {app.docs_url, app.swagger_ui_oauth2_redirect_url}
    pages.discard(None)
    app.router.routes[:] = [
        route for route in app.router.routes if not _is_fastapi_page(route, pages)
    ]


def _is_fastapi_page(route: Any, paths: set[str | None]) -> bool:
    return (
        isinstance(route, Route)
        and not isinstance(route, APIRoute)
        and route.path in paths
        and getattr(route.endpoint, "__module__", None) == "fastapi.applications"
    )
