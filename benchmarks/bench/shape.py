"""Before timing: every contender must give the reference's status and JSON for each endpoint.

Values are compared, not only keys and types, after two normalizations: datetimes are
compared as instants (``Z`` and ``+00:00`` are the same), and ``next_cursor`` only by type
(each contender encodes its cursors its own way). A POST is compared without its new ``id``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from .endpoints import Endpoint

DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


def fetch(base_url: str, endpoint: Endpoint, body: str | None = None) -> Answer:
    data = (body or endpoint.body or "").encode() or None
    request = urllib.request.Request(
        base_url + endpoint.path,
        data=data,
        method=endpoint.method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, _json(response.read()))
    except urllib.error.HTTPError as error:
        return Answer(error.code, _json(error.read()))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")[:200]


def normalize(value: Any, key: str = "") -> Any:
    if key == "next_cursor":
        return "<cursor>" if isinstance(value, str) else value
    if isinstance(value, dict):
        return {k: normalize(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if isinstance(value, str) and DATETIME.match(value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    return value


def differences(expected: Any, actual: Any, path: str = "$", limit: int = 5) -> list[str]:
    """The first few places where two normalized JSON values differ."""
    found: list[str] = []
    _walk(expected, actual, path, found, limit)
    return found


def _walk(expected: Any, actual: Any, path: str, found: list[str], limit: int) -> None:
    if len(found) >= limit:
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual or key not in expected:
                where = "missing" if key not in actual else "unexpected"
                found.append(f"{path}.{key}: {where}")
                continue
            _walk(expected[key], actual[key], f"{path}.{key}", found, limit)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            found.append(f"{path}: {len(actual)} items, expected {len(expected)}")
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            _walk(left, right, f"{path}[{index}]", found, limit)
    elif expected != actual or type(expected) is not type(actual):
        found.append(f"{path}: {actual!r}, expected {expected!r}")


def comparable(endpoint: Endpoint, answer: Answer) -> Any:
    body = normalize(answer.body)
    if endpoint.method == "POST" and isinstance(body, dict):
        body = {**body, "id": type(body.get("id")).__name__}
    return {"status": answer.status, "body": body}


def check(reference: Answer, actual: Answer, endpoint: Endpoint) -> list[str]:
    """``[]`` when ``actual`` matches ``reference``; else what differs."""
    problems = []
    if actual.status != endpoint.status:
        problems.append(f"status {actual.status}, expected {endpoint.status}: {actual.body!r}")
    expected, got = comparable(endpoint, reference), comparable(endpoint, actual)
    return problems + differences(expected, got)
