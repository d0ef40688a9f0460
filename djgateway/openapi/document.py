"""The canonical OpenAPI document of an application: what snapshots store and `openapi` prints.

Any object with FastAPI's `openapi() -> dict` method will do, so this module needs no FastAPI.
The document is a deep copy (the application's cached schema is never modified) with:

- volatile values removed (none today: `servers` stay, as the application declares them; the
  `root_path` of a request is added by FastAPI to the served copy only, and a freshly loaded
  application, which the commands read, has served no request);
- set-like lists in a stable order: every schema's `required` list is sorted (example and
  default values are left alone), so reordering a model's fields does not change the snapshot.

Keys are sorted when the document is serialised with `canonical_json`.
"""

from __future__ import annotations

import copy
from typing import Any, Protocol

VOLATILE_KEYS: tuple[str, ...] = ()
_DATA_KEYS = frozenset({"const", "default", "enum", "example", "examples"})  # values, not schemas
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "schemas"})


class HasOpenAPI(Protocol):
    def openapi(self) -> dict[str, Any]: ...


def canonical_document(app: HasOpenAPI) -> dict[str, Any]:
    """The OpenAPI document of `app`, with volatile values removed and stable ordering."""
    document = copy.deepcopy(app.openapi())
    for key in VOLATILE_KEYS:
        document.pop(key, None)
    _sort_required(document)
    return document


def _sort_required(node: Any, names: bool = False) -> None:
    """Sort `required` lists; `names` is true for maps whose keys are names, not keywords."""
    if isinstance(node, list):
        for value in node:
            _sort_required(value)
    if not isinstance(node, dict):
        return
    required = node.get("required")
    if not names and isinstance(required, list) and all(isinstance(n, str) for n in required):
        node["required"] = sorted(required)
    for key, value in node.items():
        if names or key not in _DATA_KEYS:
            _sort_required(value, names=not names and key in _NAME_MAPS)
