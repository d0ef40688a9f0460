"""Defaults borrowed from a model's ``ModelAdmin``, when the Django admin is installed."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class AdminOptions:
    search_fields: tuple[str, ...] = ()
    list_filter: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()
    list_per_page: int | None = None


def admin_options(model: type[models.Model]) -> AdminOptions | None:
    if not apps.is_installed("django.contrib.admin"):
        return None
    from django.contrib import admin

    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return None
    return AdminOptions(
        search_fields=tuple(model_admin.search_fields or ()),
        # Only plain field names; SimpleListFilter classes have no query-string equivalent.
        list_filter=tuple(f for f in model_admin.list_filter or () if isinstance(f, str)),
        ordering=tuple(o for o in model_admin.ordering or () if isinstance(o, str)),
        list_per_page=model_admin.list_per_page,
    )
