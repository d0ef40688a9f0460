"""Django's request signals around ORM work done outside Django's own request handler.

``request_started`` / ``request_finished`` close connections that are broken or past
``CONN_MAX_AGE``; without them a FastAPI worker thread keeps its connection forever.
They must be sent in the thread that uses the connection, once per request: a scope opened
inside another one (a user's ``request_signalling`` helper called by an action) sends nothing,
so ``request_finished`` never closes a connection in the middle of a transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core import signals


class GatewayRequest:
    """Sender of the request signals djgateway emits."""


_open = threading.local()  # how many scopes this thread is inside


@contextmanager
def request_scope() -> Iterator[None]:
    depth = getattr(_open, "depth", 0)
    if not depth:
        signals.request_started.send(sender=GatewayRequest)
    _open.depth = depth + 1
    try:
        yield
    finally:
        _open.depth = depth
        if not depth:
            signals.request_finished.send(sender=GatewayRequest)
