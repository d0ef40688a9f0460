"""Who is calling: ``Access`` (subject, tenant, granted scopes, the scope that let them in)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Scope:
    """A scope string in djfapi's ``service.resource.action.selector`` form."""

    value: str

    def _part(self, index: int) -> str:
        parts = self.value.split(".")
        return parts[index] if len(parts) > index else ""

    @property
    def service(self) -> str:
        return self._part(0)

    @property
    def resource(self) -> str:
        return self._part(1)

    @property
    def action(self) -> str:
        return self._part(2)

    @property
    def selector(self) -> str:
        """``any`` / ``own`` / ... — empty when the scope has no selector."""
        return self._part(3)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Access:
    subject: str | None = None
    tenant_id: Any = None
    scopes: frozenset[str] = frozenset()
    scope: Scope | None = None  # the required scope this request was let in with
    claims: Mapping[str, Any] = field(default_factory=dict)
    authenticated: bool = False

    def has_any(self, required: Iterable[str]) -> bool:
        return any(scope in self.scopes for scope in required)

    def selecting(self, required: Iterable[str]) -> Access:
        """This access with ``scope`` set to the first required scope it holds."""
        for scope in required:
            if scope in self.scopes:
                return replace(self, scope=Scope(scope))
        return self

    # djfapi compatibility: ``access.user_id`` in row filters
    @property
    def user_id(self) -> str | None:
        return self.subject


ANONYMOUS = Access()
