"""Writes that span several rows: children created with their parent, bulk creates.

Everything runs in the caller's transaction, so a bad grandchild or a bad tenth item leaves
nothing written; errors name where they are (``["body", "departments", 0, "teams", 1, "name"]``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from ..errors import ApiError, FieldError, forbidden, validation_failed
from ..plan import ResourcePlan
from ..schemas import ResourceSchemas
from ..security import Access
from .visibility import Caller, caller_for, granted


class Store(Protocol):
    """What nested writes need of a resource's store (``writes.Writes``)."""

    resource: ResourcePlan
    schemas: ResourceSchemas
    child_stores: dict[str, Any]

    def create_tree(
        self, ids: Mapping[str, Any], payload: BaseModel, caller: Caller, *, parent_known: bool
    ) -> Created: ...

    def update(
        self, ids: Mapping[str, Any], pk: Any, payload: BaseModel, caller: Caller, *, replace: bool
    ) -> None: ...

    def delete(self, ids: Mapping[str, Any], pk: Any, caller: Caller) -> None: ...

    def retrieve(
        self, ids: Mapping[str, Any], pk: Any, caller: Caller, *, just_written: bool = False
    ) -> bytes: ...

    def sync_candidates(self, ids: Mapping[str, Any], access: Access) -> dict[Any, Any]: ...

    def sync_target(self, item: BaseModel, existing: dict[Any, Any]) -> Any: ...


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
    store: Store, parent_ids: Mapping[str, Any], pk: Any, payload: BaseModel, caller: Caller
) -> dict[str, list[Created]]:
    """Create the children listed in ``payload`` under the new row ``pk``."""
    created: dict[str, list[Created]] = {}
    for key, child_key in store.schemas.child_keys.items():
        items = getattr(payload, key) or []
        child = store.child_stores[child_key]
        ids = {**parent_ids, store.resource.id_param: pk}
        created[key] = []
        if not items:
            continue
        child_caller = acting_as(child.resource, "create", caller)
        for index, item in enumerate(items):
            with located(key, index):
                created[key].append(child.create_tree(ids, item, child_caller, parent_known=True))
    return created


def acting_as(child: ResourcePlan, action: str, caller: Caller) -> Caller:
    """The caller as the child's own route of ``action`` would see them: 403 without one of
    its scopes, else their access with that scope selected (row filters keyed on the
    selector) and the child's field scopes."""
    access = granted(child, action, caller.access)
    if access is None:
        required = child.security.required[action].scopes
        raise forbidden(
            f"This change {VERBS[action]} {child.key}, which needs one of the scopes: "
            f"{', '.join(required)}."
        )
    return caller_for(child, access)


VERBS = {"create": "creates", "replace": "replaces", "delete": "deletes", "retrieve": "reads"}


def render_json(value: Any) -> bytes:
    """JSON like pydantic writes it (compact, UTF-8), so ETags match those of reads."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def render(store: Store, ids: Mapping[str, Any], tree: Created, caller: Caller) -> Any:
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
    store: Store,
    ids: Mapping[str, Any],
    pk: Any,
    payload: BaseModel,
    caller: Caller,
) -> SyncReport:
    """Make the children of row ``pk`` match the lists in ``payload`` (lists left out: as is).

    Each item needs what its own route would need: the child's create, replace or delete
    scope, the row filter of that scope, and its field write scopes. One missing refuses the
    whole write (the caller's transaction rolls back).
    """
    report: SyncReport = {}
    for key, child_key in store.schemas.child_keys.items():
        items = getattr(payload, key, None)
        if items is None:
            continue
        child = store.child_stores[child_key]
        child_ids = {**ids, store.resource.id_param: pk}
        entry = report.setdefault(child_key, {"created": [], "updated": [], "deleted": []})
        reader = acting_as(child.resource, "retrieve", caller)
        existing = child.sync_candidates(child_ids, reader.access)
        matched: set[Any] = set()
        for index, item in enumerate(items):
            with located(key, index):
                target = child.sync_target(item, existing)
                if target is None:
                    creator = acting_as(child.resource, "create", caller)
                    tree = child.create_tree(child_ids, item, creator, parent_known=True)
                    entry["created"].append(tree.pk)
                    continue
                if target in matched:
                    raise validation_failed(
                        [FieldError(("body",), "This child appears twice.", "duplicate")]
                    )
                matched.add(target)
                replacer = acting_as(child.resource, "replace", caller)
                child.update(child_ids, target, item, replacer, replace=True)
                _merge(report, sync_children(child, child_ids, target, item, replacer))
                entry["updated"].append(target)
        gone = sorted(set(existing) - matched, key=str)
        if store.resource.sync_delete and gone:
            deleter = acting_as(child.resource, "delete", caller)
            for child_pk in gone:
                child.delete(child_ids, child_pk, deleter)
                entry["deleted"].append(child_pk)
    return report


def _merge(report: SyncReport, other: SyncReport) -> None:
    for key, entry in other.items():
        target = report.setdefault(key, {"created": [], "updated": [], "deleted": []})
        for action, pks in entry.items():
            target[action].extend(pks)


def affected(report: SyncReport) -> int:
    return sum(len(pks) for entry in report.values() for pks in entry.values())
