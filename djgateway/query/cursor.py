"""Opaque keyset cursors: the ordering and the last row's values, signed with SECRET_KEY."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder

SALT = "djgateway.cursor"
MAX_CURSOR_LENGTH = 4096


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times keep their microseconds: a cursor cut to
    milliseconds would skip rows created within the same millisecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Serializer:
    """JSON that also carries dates, decimals, UUIDs and durations (as ISO strings)."""

    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":"), cls=_Encoder).encode()

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode())


def encode_cursor(ordering: list[str], values: list[Any]) -> str:
    payload = {"o": ordering, "v": values}
    return signing.dumps(payload, salt=SALT, serializer=_Serializer)


def decode_cursor(token: str, ordering: list[str]) -> list[Any]:
    """The values of the row a page ends with; ``ValueError`` if forged or for another order."""
    data: Any = None
    if len(token) <= MAX_CURSOR_LENGTH:
        try:
            data = signing.loads(token, salt=SALT, serializer=_Serializer)
        except signing.BadSignature:
            data = None
    if not isinstance(data, dict) or not isinstance(data.get("v"), list):
        raise ValueError("is not a valid cursor")
    if data.get("o") != ordering or len(data["v"]) != len(ordering):
        raise ValueError("was made for another order_by; start again without a cursor")
    return list(data["v"])
