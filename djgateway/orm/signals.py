"""Django's request signals around ORM work done outside Django's own request handler.

``request_started`` / ``request_finished`` close connections that are broken or past
``CONN_MAX_AGE``; without them a FastAPI worker thread keeps its connection forever.
They must be sent in the thread that uses the connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core import signals


class GatewayRequest:
    """Sender of the request signals djgateway emits."""


@contextmanager
def request_scope() -> Iterator[None]:
    signals.request_started.send(sender=GatewayRequest)
    try:
        yield
    finally:
        signals.request_finished.send(sender=GatewayRequest)
