"""The ORM side of a custom endpoint (``Gateway.action``): the objects it works on, loaded as
the generated routes load them, the function run in one transaction, its answer rendered.

Runs inside the caller's ``request_scope()``, in the worker thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from pydantic import BaseModel

from ..errors import not_found
from ..plan.actions import ActionPlan
from .core import PathIds
from .store import ResourceStore
from .translate import database_errors, validation_error
from .visibility import Caller, visible


def run_action(
    store: ResourceStore,
    action: ActionPlan,
    ids: PathIds,
    pk: Any,
    caller: Caller,
    *,
    body: BaseModel | None = None,
    if_match: str | None = None,
) -> bytes | None:
    """The JSON answer of the action (``None``: nothing to answer, a 204)."""
    atomic = transaction.atomic(using=store._write_db) if action.writes else nullcontext()
    with database_errors():
        with atomic, django_validation(store):
            arguments = _arguments(store, action, ids, pk, caller, body=body, if_match=if_match)
            result = action.function(**arguments)
            check_result(store, action, result)  # a wrong answer rolls the work back
        # Read back once committed, as every write is (a router may read from a replica).
        return render_result(store, action, ids, caller, result)


def render_result(
    store: ResourceStore, action: ActionPlan, ids: PathIds, caller: Caller, result: Any
) -> bytes | None:
    """An instance of the model: its row as the retrieve route shows it to this caller (field
    scopes apply), even when the row filters no longer match it; a pydantic model: as is."""
    if result is None:
        return None
    if isinstance(result, BaseModel):
        return result.model_dump_json().encode()
    return store.retrieve(ids, result.pk, caller, just_written=True)


def check_result(store: ResourceStore, action: ActionPlan, result: Any) -> None:
    expected = action.result
    if (
        (result is None and expected.nothing)
        or (isinstance(result, store.model) and expected.model)
        or (expected.schema is not None and isinstance(result, expected.schema))
    ):
        return
    raise TypeError(  # a developer error: a 500, logged
        f"the action {action.function_name} returned {type(result).__name__}, which its "
        "return annotation does not name"
    )


@contextmanager
def django_validation(store: ResourceStore) -> Iterator[None]:
    """A ``ValidationError`` raised by the function: the 422 (or 409) of the generated routes."""
    try:
        yield
    except ValidationError as exc:
        errors = exc if hasattr(exc, "error_dict") else ValidationError({NON_FIELD_ERRORS: exc})
        raise validation_error(errors, store.error_keys, store.writable) from None


def _arguments(
    store: ResourceStore,
    action: ActionPlan,
    ids: PathIds,
    pk: Any,
    caller: Caller,
    *,
    body: BaseModel | None,
    if_match: str | None,
) -> dict[str, Any]:
    if action.on == "item":
        subject = _item(store, action, ids, pk, caller, if_match=if_match)
    else:
        store._require_parent(ids, caller.access)  # a parent hidden or missing: 404
        subject = None
    arguments: dict[str, Any] = {}
    for parameter in action.parameters:
        if parameter.role == "object":
            arguments[parameter.name] = subject
        elif parameter.role == "body":
            arguments[parameter.name] = body
        elif parameter.role == "access":
            arguments[parameter.name] = caller.access
        else:
            assert parameter.resource_key is not None
            arguments[parameter.name] = _ancestor(store, parameter.resource_key, ids, caller)
    return arguments


def _item(
    store: ResourceStore,
    action: ActionPlan,
    ids: PathIds,
    pk: Any,
    caller: Caller,
    *,
    if_match: str | None,
) -> models.Model:
    """The object under the path that the caller may see; for a write, locked as an update
    locks it (``If-Match`` checked against it), else read as the retrieve route reads it."""
    if action.writes:
        locked: models.Model = store._locked(ids, pk, caller, if_match)
        return locked
    found: models.Model | None = store._scoped(ids, caller.access).filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def _ancestor(store: ResourceStore, key: str, ids: PathIds, caller: Caller) -> models.Model:
    """A parent on the path, as the parent check sees it (its row filters, soft deletes)."""
    level = store.plan.get(key)
    rows = visible(store.plan, level, caller.access, as_ancestor=True)
    chain = {f"{link.lookup}__pk": ids[link.param] for link in level.ancestors}
    found: models.Model | None = rows.filter(pk=ids[level.id_param], **chain).first()
    if found is None:
        raise not_found()
    return found
