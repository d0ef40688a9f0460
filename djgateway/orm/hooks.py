"""What saving means for models that are not saved with a plain ``save()``.

``Resource(before_save=...)`` and ``Resource(save=...)`` replace these defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..introspect import ModelInfo

BeforeSave = Callable[[Any, dict[str, Any], bool], None]


def default_before_save(model: ModelInfo) -> BeforeSave | None:
    """A user model (``set_password``) stores a hash of the password a body sends."""
    if callable(getattr(model.model, "set_password", None)):
        return _hash_password
    return None


def default_create(model: ModelInfo) -> Callable[[Any], None] | None:
    """A treebeard node is created as a new root: ``add_root`` computes its tree columns."""
    if model.tree:
        return _add_root
    return None


def _hash_password(user: Any, values: dict[str, Any], created: bool) -> None:
    if "password" in values:
        user.set_password(values["password"])
    elif created and not user.password:
        user.set_unusable_password()


def _add_root(node: Any) -> None:
    type(node).add_root(instance=node)
