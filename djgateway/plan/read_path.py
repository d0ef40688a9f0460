"""Which fast paths a resource's reads may take, decided once, when the plan is built.

Two fast paths exist (``orm/prepared.py``, ``orm/rows.py``); each is taken only where nothing
that can vary per request, or per stored value, can change what the slow path would answer:

- **compiled**: a read's SQL is compiled once per query shape and run again with new key and
  filter values. Only when the default managers of the resource and of its ancestors are
  Django's own ``Manager`` over a plain ``QuerySet`` (a custom ``get_queryset`` may filter by
  request, tenant or time; ``Resource(deterministic_manager=True)`` vouches for one), no
  database router is configured (a router may pick a database per request), no row filter or
  tenant applies anywhere on the chain, and the gateway's ``fast_paths`` are on.
- **plain**: rows are decoded straight to JSON, without the read schema. Only for generated
  read schemas (an explicit one may validate, convert or serialise as it likes); datetimes
  only with ``USE_TZ`` and every database in UTC (the decoders write UTC instants). Which
  columns of a generated schema are plain is ``orm.rows.plain_keys``.

Anything else takes the queryset and pydantic path. ``djgateway routes`` shows the decision
and its reasons; ``tests/integration/test_differential.py`` holds the paths byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.db.models.manager import BaseManager


@dataclass(frozen=True)
class ReadPath:
    compiled: bool = False
    plain: bool = False
    plain_datetimes: bool = False
    reasons: tuple[str, ...] = ()  # why a fast path is off

    @property
    def summary(self) -> str:
        taken = [name for name, on in (("compiled", self.compiled), ("plain", self.plain)) if on]
        return " + ".join(taken) if taken else "queryset"


def read_path(
    model: type[Model],
    parent: ReadPath | None,
    *,
    row_filtered: bool,
    explicit_read: bool,
    deterministic_manager: bool,
    enabled: bool,
) -> ReadPath:
    """``parent``: the decision for the parent resource (its reasons are inherited)."""
    if not enabled:
        return ReadPath(reasons=("fast paths switched off (Gateway(fast_paths=False))",))
    not_compiled: list[str] = []
    if parent is not None and not parent.compiled:
        not_compiled.append("the parent's reads are not compiled")
    reason = None if deterministic_manager else manager_varies(model)
    if reason:
        not_compiled.append(reason)
    if getattr(settings, "DATABASE_ROUTERS", None):
        not_compiled.append("database routers may choose a database per request")
    if row_filtered:
        not_compiled.append("row filters or a tenant depend on the caller")
    not_plain = ["an explicit read schema"] if explicit_read else []
    plain_datetimes = settings.USE_TZ and all(
        database.get("TIME_ZONE") in (None, "UTC") for database in settings.DATABASES.values()
    )
    return ReadPath(
        compiled=not not_compiled,
        plain=not not_plain,
        plain_datetimes=plain_datetimes,
        reasons=(*not_compiled, *not_plain),
    )


def manager_varies(model: type[Model]) -> str | None:
    manager: Any = model._default_manager
    kind = type(manager)
    name = f"{model._meta.label}'s default manager {kind.__name__}"
    if kind.get_queryset is not BaseManager.get_queryset:
        return f"{name} has its own get_queryset"
    if manager._queryset_class is not QuerySet:
        return f"{name} uses {manager._queryset_class.__name__}"
    return None
