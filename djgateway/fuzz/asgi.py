"""Make an in-process crash look like what a client over HTTP would see: a 500."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger("djgateway.fuzz")

CRASH_BODY = b"Internal Server Error"


def crash_as_500(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so an exception escaping it ends the request with a 500, not a re-raise.

    Starlette's ``ServerErrorMiddleware`` sends its 500 and then re-raises, which a server
    would log; Schemathesis' in-process client would report it as an engine error without
    the failing request.
    """

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, receive, tracking_send)
        except Exception:
            if scope["type"] != "http":
                raise
            logger.debug("the application raised; answered 500", exc_info=True)
            if not started:
                await _send_500(send)

    return wrapped


async def _send_500(send: Send) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": CRASH_BODY})
