"""Failures that are not the API's fault, dropped before they count.

Some values are valid or not depending on the rows in the database, which a schema cannot say:

- a body may name a related row by its id (``category_id``); Schemathesis also sends ids of
  rows that do not exist, and djgateway answers 422 with the error code ``does_not_exist``
  (with ``unique`` too when another value is already taken); such a request cannot succeed,
  so its other errors (often consequences: a phone number checked against a missing
  country) do not count either;
- ``?cursor=`` takes the ``next_cursor`` of an earlier page; a made-up one is a 400;
- a model's ``clean()`` may state a rule across fields or rows (``count <= limit``) that no
  schema can; its errors without a code of their own come with the code ``model_rule``.

Some rules no schema can state, and the schema says so:

- a field may have validators of its own that are functions (contrib.sites' domain without
  spaces); the request schema names them in the field's description, and a 422 located at
  such a field, for an operation that writes it, is that validator's verdict;
- a date-time with an offset whose UTC time falls before year 1 or after 9999 cannot be
  stored (code ``datetime_out_of_range``); JSON Schema has no bounds for date-times.

Those rejections are right, though the check "schema-valid request accepted" counts them as
failures. One answer is right though the check "response schema conformance" counts it:

- ``?fields=`` is a sparse fieldset: the list items hold only the keys it names, even keys the
  item schema requires (documented on the parameter). A ``required`` violation whose only
  cause is such keys missing from the items is dropped; a key ``fields=`` selected missing
  from any item, or any other violation of the same response, still counts.

Everything else, however it looks, still counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

PROBLEM_JSON = "application/problem+json"
REJECTED_VALID_DATA = "ST202"
VIOLATES_SCHEMA = "ST108"  # a response against its schema: one failure per keyword
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
#: Refusals of values the schema allows but no schema can bound (see the module doc).
UNBOUNDED_CODES = frozenset({"datetime_out_of_range"})

#: (method, path template, body key): a body field with validators the schema cannot state.
UnstatedFields = frozenset[tuple[str, str, str]]


class FailureFilter:
    """The ``filter_failure`` hook of one run: ``keep_failure`` with the run's fields whose
    validators no schema states (from the gateway's plan: ``unstated_fields``)."""

    def __init__(self, unstated: UnstatedFields = frozenset()) -> None:
        self.unstated = unstated

    def __call__(self, context: Any, failure: Any, case: Any, response: Any) -> bool:
        return keep_failure(context, failure, case, response, self.unstated)


def keep_failure(
    context: Any, failure: Any, case: Any, response: Any, unstated: UnstatedFields = frozenset()
) -> bool:
    """A Schemathesis ``filter_failure`` hook: False drops the failure."""
    code = getattr(failure, "code", None)
    if code == VIOLATES_SCHEMA:
        return not left_out_by_fields(
            getattr(case, "query", None),
            getattr(failure, "schema_path", None),
            getattr(failure, "instance_path", None),
            getattr(failure, "schema", None),
            response.content,
        )
    if code != REJECTED_VALID_DATA:
        return True
    operation = (str(getattr(case, "method", "")).upper(), _template(case))
    keys = frozenset(key for method, path, key in unstated if (method, path) == operation)
    return not depends_on_data(response.status_code, response.headers, response.content, keys)


def _template(case: Any) -> str:
    operation = getattr(case, "operation", None)
    return str(getattr(operation, "path", ""))


def left_out_by_fields(
    query: Mapping[str, Any] | None,
    schema_path: Sequence[Any] | None,
    instance_path: Sequence[Any] | None,
    item_schema: Any,
    body: bytes,
) -> bool:
    """A ``required`` violation of a page's item (at ``/items/3``) where every item of the page
    misses only keys that the request's ``?fields=`` left out (see the module doc).

    Schemathesis reports a schema keyword once per response, for the first item it fails on,
    so every item is judged here: one item missing a selected key keeps the failure."""
    selected = _selected_fields(query)
    if selected is None or not schema_path or schema_path[-1] != "required":
        return False
    path = list(instance_path or ())
    if len(path) != 2 or path[0] != "items" or not isinstance(path[1], int):
        return False
    required = item_schema.get("required") if isinstance(item_schema, dict) else None
    items = _page_items(body)
    if not isinstance(required, list) or items is None:
        return False
    for item in items:
        if not isinstance(item, dict):
            return False
        if {key for key in required if key not in item} & selected:
            return False
    return True


def _selected_fields(query: Mapping[str, Any] | None) -> set[str] | None:
    """The names ``?fields=`` selected (repeated or comma-separated); None without it."""
    sent = (query or {}).get("fields")
    if sent is None:
        return None
    values = list(sent) if isinstance(sent, list | tuple) else [sent]
    return {name.strip() for value in values for name in str(value).split(",")}


def _page_items(body: bytes) -> list[Any] | None:
    try:
        page = json.loads(body)
    except ValueError:
        return None
    items = page.get("items") if isinstance(page, dict) else None
    return items if isinstance(items, list) else None


def depends_on_data(
    status: int,
    headers: dict[str, list[str]],
    body: bytes,
    unstated_keys: frozenset[str] = frozenset(),
) -> bool:
    """A problem whose every error is about data only the server has, or about a rule no
    schema can state (see the module doc)."""
    errors = _problem_errors(headers, body)
    if not errors:
        return False
    if status == 422:
        # A request naming a row that does not exist cannot succeed, whatever else its answer
        # says (oscar checks a phone number against the address's country: no country, no check).
        if any(error.get("code") in DATA_DEPENDENT_CODES for error in errors):
            return True
        return all(_beyond_the_schema(error, unstated_keys) for error in errors)
    if status == 400:
        return all(error.get("loc") in SERVER_ISSUED for error in errors)
    return False


def _beyond_the_schema(error: dict[str, Any], unstated_keys: frozenset[str]) -> bool:
    code, loc = error.get("code"), error.get("loc")
    if code in DATA_DEPENDENT_CODES or code in UNBOUNDED_CODES:
        return True
    return isinstance(loc, list) and len(loc) == 2 and loc[0] == "body" and loc[1] in unstated_keys


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
