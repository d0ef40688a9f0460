"""Failures that are not the API's fault, dropped before they count.

Some values are valid or not depending on the rows in the database, which a schema cannot say:

- a body may name a related row by its id (``category_id``); Schemathesis also sends ids of
  rows that do not exist, and djgateway answers 422 with the error code ``does_not_exist``
  (with ``unique`` too when another value is already taken);
- ``?cursor=`` takes the ``next_cursor`` of an earlier page; a made-up one is a 400;
- a model's ``clean()`` may state a rule across fields or rows (``count <= limit``) that no
  schema can; its errors without a code of their own come with the code ``model_rule``.

Those rejections are right, though the check "schema-valid request accepted" counts them as
failures. Everything else, however it looks, still counts.
"""

from __future__ import annotations

import json
from typing import Any

PROBLEM_JSON = "application/problem+json"
REJECTED_VALID_DATA = "ST202"
#: Error codes that depend on the rows in the database, not on the request.
DATA_DEPENDENT_CODES = frozenset(
    {
        "does_not_exist",
        "unique",
        "unique_together",
        "unique_for_date",
        "unique_for_month",
        "unique_for_year",
        "model_rule",
    }
)
SERVER_ISSUED = (["query", "cursor"],)


def keep_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """A Schemathesis ``filter_failure`` hook: False drops the failure."""
    if getattr(failure, "code", None) != REJECTED_VALID_DATA:
        return True
    return not depends_on_data(response.status_code, response.headers, response.content)


def depends_on_data(status: int, headers: dict[str, list[str]], body: bytes) -> bool:
    """A problem whose every error is about data only the server has (see the module doc)."""
    errors = _problem_errors(headers, body)
    if not errors:
        return False
    if status == 422:
        return all(error.get("code") in DATA_DEPENDENT_CODES for error in errors)
    if status == 400:
        return all(error.get("loc") in SERVER_ISSUED for error in errors)
    return False


def _problem_errors(headers: dict[str, list[str]], body: bytes) -> list[dict[str, Any]]:
    content_type = (headers.get("content-type") or [""])[0]
    if not content_type.startswith(PROBLEM_JSON):
        return []
    try:
        errors = json.loads(body).get("errors") or []
    except (ValueError, AttributeError):
        return []
    if not isinstance(errors, list) or not all(isinstance(error, dict) for error in errors):
        return []
    return errors
