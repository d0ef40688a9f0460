"""Custom endpoints on a resource, as ``Gateway.action`` records them: plain data.

An ``on="item"`` action answers at ``<item path>/<name>`` (``/companies/{company_id}/archive``)
with the object loaded as the generated retrieve would load it (404 otherwise); an
``on="collection"`` one at ``<collection path>:<name>`` (``/companies:import``), after the
parents on its path are checked. Both get the resource's authentication, scopes, tenant, row
filters, problem+json errors and OpenAPI documentation (``plan/actions.py`` resolves them,
``binding/actions.py`` serves them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

ActionTarget = Literal["item", "collection"]
ActionMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
# The generated methods whose scopes an action may borrow (``Scopes`` attributes).
ScopesOf = Literal["get", "list", "aggregate", "post", "put", "patch", "delete"]


@dataclass(frozen=True)
class ResourceAction:
    """One ``@gateway.action(...)`` declaration.

    model:     ``"app_label.Model"`` (or the resource key, ``"companies.departments"``).
    name:      the last path segment (item) or what follows the colon (collection):
               lower case letters, digits, ``-`` and ``_``.
    function:  a plain ``def``, run in the worker thread; see ``Gateway.action``.
    scopes_of: the generated method whose scopes apply; ``scopes``: explicit ones instead.
               Neither: the method's own (GET ``get``, PUT ``put``, PATCH ``patch``, DELETE
               ``delete``, POST ``post`` on the collection and ``patch`` on an item).
    """

    model: str
    name: str
    function: Callable[..., Any]
    method: ActionMethod = "POST"
    on: ActionTarget = "item"
    scopes_of: ScopesOf | None = None
    scopes: tuple[str, ...] | None = None

    @property
    def borrowed_scopes(self) -> str | None:
        """The generated method whose scopes apply (``None``: explicit ``scopes``)."""
        if self.scopes is not None or self.scopes_of is not None:
            return self.scopes_of
        if self.method == "POST":
            return "patch" if self.on == "item" else "post"
        return self.method.lower()
