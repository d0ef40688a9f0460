"""djgateway: the sandbox gateway, open (``secured=False``), as ``djgateway serve`` builds it."""

from __future__ import annotations

from .common import setup_django

setup_django()

from djgateway.sandbox.gateway import build_gateway  # noqa: E402

app = build_gateway(secured=False).app(prefix="/api")
