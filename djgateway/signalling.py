"""``request_signalling``: Django's request signals for your own FastAPI endpoints.

FastAPI never sends ``request_started`` / ``request_finished``, so a worker thread that uses
the ORM keeps its connection forever, past ``CONN_MAX_AGE`` and after it broke. Every route of
the gateway sends them around its ORM work; do the same in your own sync endpoints::

    @app.get("/stats")
    @request_signalling
    def stats() -> dict[str, int]:
        return {"companies": Company.objects.count()}

or around the ORM part only: ``with request_signalling(): ...``. The signals go out in the
thread that runs the code, as Django requires; a scope inside another sends nothing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar, overload

from .orm.signals import request_scope

Function = TypeVar("Function", bound=Callable[..., Any])


@overload
def request_signalling(function: Function) -> Function: ...


@overload
def request_signalling() -> AbstractContextManager[None]: ...


def request_signalling(function: Function | None = None) -> Function | AbstractContextManager[None]:
    """Decorate a plain ``def`` (FastAPI runs it in its thread pool), or call it for a
    ``with`` block. An ``async def`` is refused: the ORM must not run on the event loop, and the
    signals must be sent in the thread that uses the connection."""
    if function is None:
        return request_scope()
    if inspect.iscoroutinefunction(function):
        raise TypeError(
            f"request_signalling needs a plain def, not async def {function.__qualname__}: "
            "FastAPI runs a plain def in its thread pool, where the ORM may run"
        )

    @functools.wraps(function)
    def signalled(*args: Any, **kwargs: Any) -> Any:
        with request_scope():
            return function(*args, **kwargs)

    return signalled  # type: ignore[return-value]
