"""Scopes per method, their inheritance along the parent chain, and field scopes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

METHOD_FOR_ACTION = {
    "list": "list",
    "retrieve": "get",
    "aggregate": "aggregate",
    "create": "post",
    "replace": "put",
    "update": "patch",
    "delete": "delete",
    # a many-to-many field's sub-collection: reading it is reading, (un)linking is updating
    "list_related": "list",
    "link": "patch",
    "unlink": "patch",
}
READ_METHODS = ("get", "list", "aggregate")


@dataclass(frozen=True)
class Scopes:
    """Required scopes per method; a caller needs any one of a method's scopes.

    ``list`` and ``aggregate`` default to ``get``. A method left ``None`` on a child resource
    is inherited from its parent: reads from the parent's ``get``, writes from the parent's
    ``patch`` (its update scopes). ``Scopes.auto("business")`` names a conventional set per
    resource: ``business.<segment>.read.any|own``, ``.create``, ``.update.any|own``,
    ``.delete.any|own``.
    """

    get: Sequence[str] | None = None
    list: Sequence[str] | None = None
    aggregate: Sequence[str] | None = None
    post: Sequence[str] | None = None
    put: Sequence[str] | None = None
    patch: Sequence[str] | None = None
    delete: Sequence[str] | None = None
    auto_service: str | None = None

    @classmethod
    def auto(cls, service: str) -> Scopes:
        return cls(auto_service=service)

    def for_resource(self, name: str) -> Scopes:
        """Concrete scopes: resolves ``Scopes.auto`` for the resource named ``name``."""
        if self.auto_service is None:
            return self
        prefix = f"{self.auto_service}.{name}"
        read = [f"{prefix}.read.any", f"{prefix}.read.own"]
        update = [f"{prefix}.update.any", f"{prefix}.update.own"]
        return Scopes(
            get=read,
            post=[f"{prefix}.create"],
            put=update,
            patch=update,
            delete=[f"{prefix}.delete.any", f"{prefix}.delete.own"],
        )

    def own(self, method: str) -> tuple[str, ...] | None:
        """The scopes this resource itself declares for ``method`` (None: not declared)."""
        value = getattr(self, method)
        if value is None and method in ("list", "aggregate"):
            value = self.get
        return None if value is None else tuple(value)


@dataclass(frozen=True)
class FieldScopes:
    """Scopes a caller needs to see (``read``) or set (``write``) one field."""

    read: Sequence[str] | None = None
    write: Sequence[str] | None = None


@dataclass(frozen=True)
class RequiredScopes:
    scopes: tuple[str, ...]  # empty: authentication alone is enough
    inherited_from: str | None = None  # key of the resource they were inherited from


def inherited(method: str, chain: Sequence[tuple[str, Scopes | None]]) -> RequiredScopes:
    """Resolve ``method`` for the last resource of ``chain`` (outermost first)."""
    *ancestors, (_key, own) = chain
    if own is not None and own.own(method) is not None:
        return RequiredScopes(own.own(method) or ())
    parent_method = "get" if method in READ_METHODS else "patch"
    for ancestor_key, scopes in reversed(ancestors):
        if scopes is not None and scopes.own(parent_method) is not None:
            return RequiredScopes(scopes.own(parent_method) or (), inherited_from=ancestor_key)
    return RequiredScopes(())
