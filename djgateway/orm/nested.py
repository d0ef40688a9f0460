"""Writes that span several rows: children created with their parent, bulk creates.

Everything runs in the caller's transaction, so a bad grandchild or a bad tenth item leaves
nothing written; errors name where they are (``["body", "departments", 0, "teams", 1, "name"]``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..errors import ApiError, FieldError, forbidden, validation_failed
from .visibility import Caller, caller_for

if TYPE_CHECKING:
    from .store import ResourceStore


@dataclass
class Created:
    """The primary key of a created row and what was created under it."""

    pk: Any
    children: dict[str, list[Created]] = field(default_factory=dict)


@contextmanager
def located(*prefix: str | int) -> Iterator[None]:
    """Re-root the body locations of errors raised inside under ``prefix``."""
    try:
        yield
    except ApiError as error:
        error.errors = [
            FieldError(("body", *prefix, *e.loc[1:]), e.message, e.code)
            if e.loc[:1] == ("body",)
            else e
            for e in error.errors
        ]
        raise


def create_children(
    store: ResourceStore, parent_ids: Mapping[str, Any], pk: Any, payload: BaseModel, caller: Caller
) -> dict[str, list[Created]]:
    """Create the children listed in ``payload`` under the new row ``pk``."""
    created: dict[str, list[Created]] = {}
    for key, child_key in store.schemas.child_keys.items():
        items = getattr(payload, key) or []
        child = store.child_stores[child_key]
        if items:
            _require_scopes(child, caller)
        ids = {**parent_ids, store.resource.id_param: pk}
        child_caller = caller_for(child.resource, caller.access)
        created[key] = []
        for index, item in enumerate(items):
            with located(key, index):
                created[key].append(child.create_tree(ids, item, child_caller, parent_known=True))
    return created


def _require_scopes(child: ResourceStore, caller: Caller) -> None:
    security = child.resource.security
    required = security.required["create"].scopes
    if security.secured and required and not caller.access.has_any(required):
        raise forbidden(
            f"Creating {child.resource.key} needs one of the scopes: {', '.join(required)}."
        )


def render_json(value: Any) -> bytes:
    """JSON like pydantic writes it (compact, UTF-8), so ETags match those of reads."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def render(store: ResourceStore, ids: Mapping[str, Any], tree: Created, caller: Caller) -> Any:
    """The created row as the client sees it, with its created children under their keys."""
    body = json.loads(store.retrieve(ids, tree.pk, caller, just_written=True))
    for key, children in tree.children.items():
        child_key = store.schemas.child_keys[key]
        child = store.child_stores[child_key]
        child_ids = {**ids, store.resource.id_param: tree.pk}
        child_caller = caller_for(child.resource, caller.access)
        body[key] = [render(child, child_ids, sub, child_caller) for sub in children]
    for key in store.schemas.child_keys:
        body.setdefault(key, [])
    return body


SyncReport = dict[str, dict[str, list[Any]]]  # child resource key → created / updated / deleted


def sync_children(
    store: ResourceStore,
    ids: Mapping[str, Any],
    pk: Any,
    payload: BaseModel,
    caller: Caller,
) -> SyncReport:
    """Make the children of row ``pk`` match the lists in ``payload`` (lists left out: as is)."""
    report: SyncReport = {}
    for key, child_key in store.schemas.child_keys.items():
        items = getattr(payload, key, None)
        if items is None:
            continue
        child = store.child_stores[child_key]
        _require_scopes(child, caller)
        child_ids = {**ids, store.resource.id_param: pk}
        child_caller = caller_for(child.resource, caller.access)
        entry = report.setdefault(child_key, {"created": [], "updated": [], "deleted": []})
        existing = child.sync_candidates(child_ids, caller.access)
        matched: set[Any] = set()
        for index, item in enumerate(items):
            with located(key, index):
                target = child.sync_target(item, existing)
                if target is None:
                    tree = child.create_tree(child_ids, item, child_caller, parent_known=True)
                    entry["created"].append(tree.pk)
                    continue
                if target in matched:
                    raise validation_failed(
                        [FieldError(("body",), "This child appears twice.", "duplicate")]
                    )
                matched.add(target)
                child.update(child_ids, target, item, child_caller, replace=True)
                _merge(report, sync_children(child, child_ids, target, item, child_caller))
                entry["updated"].append(target)
        if store.resource.sync_delete:
            for gone in sorted(set(existing) - matched, key=str):
                child.delete(child_ids, gone, child_caller)
                entry["deleted"].append(gone)
    return report


def _merge(report: SyncReport, other: SyncReport) -> None:
    for key, entry in other.items():
        target = report.setdefault(key, {"created": [], "updated": [], "deleted": []})
        for action, pks in entry.items():
            target[action].extend(pks)


def affected(report: SyncReport) -> int:
    return sum(len(pks) for entry in report.values() for pks in entry.values())
