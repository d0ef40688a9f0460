"""Helpers shared by the hand-written contenders."""

from __future__ import annotations

import base64
import os
from typing import Any

import orjson

MAX_PAGE = 1000
DEFAULT_PAGE = 100
ORDER_FIELDS = ("id", "name", "founded")


def setup_django() -> None:
    """Configure Django with the benchmark settings (idempotent)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()


def encode_cursor(values: list[Any]) -> str:
    """An opaque keyset cursor (not signed, unlike djgateway's)."""
    raw = orjson.dumps(values, default=str)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
