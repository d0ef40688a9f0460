"""Call a contender's application in this process: a bare ASGI or WSGI call, no network.

No HTTP client library sits in between, so a profile of these calls shows only the
application (and the asyncio loop that runs it).
"""

from __future__ import annotations

import asyncio
import importlib
import io
import os
from collections.abc import Callable
from typing import Any

from .contenders.registry import Contender
from .endpoints import Endpoint

Sender = Callable[[Endpoint, str | None], int]
HEADERS = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")]


def load_app(contender: Contender) -> Any:
    """Import the contender's application (Django contenders set Django up on import)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.update(contender.env)
    module_name, attribute = contender.target.split(":")
    return getattr(importlib.import_module(module_name), attribute)


def sender(app: Any, interface: str) -> Sender:
    """``send(endpoint, body)`` → status code, one request at a time."""
    if interface == "wsgi":
        return lambda endpoint, body: _wsgi(app, endpoint, _body(endpoint, body))
    loop = asyncio.new_event_loop()
    return lambda endpoint, body: loop.run_until_complete(
        _asgi(app, endpoint, _body(endpoint, body))
    )


def _body(endpoint: Endpoint, body: str | None) -> bytes:
    return (body or endpoint.body or "").encode()


async def _asgi(app: Any, endpoint: Endpoint, body: bytes) -> int:
    path, _, query = endpoint.path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": endpoint.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [*HEADERS, (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    status = 0

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await asyncio.Event().wait()  # the client stays connected (Django listens for this)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def _wsgi(app: Any, endpoint: Endpoint, body: bytes) -> int:
    path, _, query = endpoint.path.partition("?")
    environ = {
        "REQUEST_METHOD": endpoint.method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status = [""]

    def start_response(line: str, headers: list[tuple[str, str]], *args: Any) -> None:
        status[0] = line

    result = app(environ, start_response)
    try:
        for _chunk in result:
            pass
    finally:
        result.close()  # Django sends request_finished here
    return int(status[0].split()[0])
