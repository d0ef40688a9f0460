"""Objects named like uvicorn apps, ``"module:attr"``: what ``--app`` of the command line and
``DJGATEWAY_GATEWAYS`` of ``manage.py check`` name.

Each problem of finding one is an ``UnresolvedReferenceError`` whose message is one line for the
user. Exceptions raised by the user's own module or factory pass through: the command line
shows them, ``manage.py check`` reports them as a check message.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any


class UnresolvedReferenceError(Exception):
    """The module cannot be imported, lacks the attribute, or the factory needs arguments."""


def resolve(module_name: str, attribute: str) -> Any:
    """``module_name``'s ``attribute`` (dotted: ``api.gateway``), importing the module."""
    try:
        found = importlib.import_module(module_name)
    except ImportError as error:
        raise UnresolvedReferenceError(f"cannot import {module_name!r}: {error}") from None
    for part in attribute.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise UnresolvedReferenceError(
                f"module {module_name!r} has no attribute {attribute!r}"
            ) from None
    return found


def call_factory(factory: Any, reference: str) -> Any:
    """What ``factory()`` returns; a factory that needs arguments is refused before the call."""
    try:
        inspect.signature(factory).bind()
    except TypeError:
        raise UnresolvedReferenceError(
            f"{reference} needs arguments; a factory must take none"
        ) from None
    except ValueError:
        pass  # no signature to inspect (a builtin): just call it
    return factory()
