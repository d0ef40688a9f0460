"""Canonical JSON for OpenAPI snapshots: stable key order, so git diffs stay readable."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(document: dict[str, Any]) -> str:
    """Serialise `document` with sorted keys, 2-space indent and a trailing newline.

    Non-ASCII text is kept as is; NaN and infinities are rejected because they are not JSON.
    """
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return text + "\n"
