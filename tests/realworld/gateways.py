"""The three model sets, each exposed without a single override.

Usable as ``djgateway fuzz --app tests.realworld.gateways:oscar_app``.
"""

from __future__ import annotations

from django.apps import apps
from fastapi import FastAPI

from djgateway import Gateway

CONTRIB = ("auth", "admin", "contenttypes", "sessions", "sites", "flatpages", "redirects")
SHOP = ("shop", "taggit")
NOT_OSCAR = {
    *CONTRIB,
    "messages",
    "staticfiles",
    "taggit",
    "djmoney",
    "django_countries",
    "polymorphic",
    "shop",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "thumbnail",
}


def oscar_labels() -> tuple[str, ...]:
    """Every app of oscar's documented INSTALLED_APPS (the ones with models matter)."""
    return tuple(c.label for c in apps.get_app_configs() if c.label not in NOT_OSCAR)


def contrib_gateway() -> Gateway:
    return Gateway(CONTRIB)


def shop_gateway() -> Gateway:
    return Gateway(SHOP)


def oscar_gateway() -> Gateway:
    return Gateway(oscar_labels())


def contrib_app() -> FastAPI:
    return contrib_gateway().app()


def shop_app() -> FastAPI:
    return shop_gateway().app()


def oscar_app() -> FastAPI:
    return oscar_gateway().app()
