"""Writes of one resource: create (with children), update, sync, delete, (un)link.

Every write runs in one transaction on the database a router picks for writes; any error
rolls all of it back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import QuerySet
from pydantic import BaseModel

from ..errors import ApiError, FieldError, forbidden, not_found, validation_failed
from ..plan.relations import hides_rows
from ..plan.types import RelatedRoute
from ..schemas import field_key
from ..security import Access
from .cleaning import full_clean
from .core import PathIds, StoreCore
from .etags import etag_of, match_fails
from .hooks import default_before_save, default_create
from .nested import Created, affected, create_children, located, render_json, sync_children
from .translate import database_errors, validation_error
from .visibility import Caller, granted, visible


class Writes(StoreCore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child_stores: dict[str, Any] = {}  # writable children, set by the router
        self.attnames = [field.attname for field in self.model._meta.concrete_fields]
        # The parent link is set from the path, which every write checks first.
        parent_field = self.resource.parent_field if self.parent else None
        # Set by the path, or by the model's own save() (editable=False: polymorphic's
        # content type, a multi-table parent link, treebeard's path), not by a body.
        self.trusted_fields = tuple({parent_field.name} if parent_field else set()) + tuple(
            f.name for f in self.resource.model.fields if not f.editable
        )
        self.before_save = self.resource.before_save or default_before_save(self.resource.model)
        self.create_row = default_create(self.resource.model)  # None: a plain INSERT
        self.column_order = {
            field_key(f): index for index, f in enumerate(self.resource.model.fields)
        }

    # -- writes --------------------------------------------------------------------------

    def create_many(self, ids: PathIds, payloads: list[BaseModel], caller: Caller) -> list[Created]:
        """Bulk create: all or nothing; an error names the index of the failing item."""
        with database_errors(), transaction.atomic(using=self._write_db):
            self._require_parent(ids, caller.access)
            created = []
            for index, payload in enumerate(payloads):
                with located(index):
                    created.append(self.create_tree(ids, payload, caller, parent_known=True))
        return created

    def create_tree(
        self, ids: PathIds, payload: BaseModel, caller: Caller, *, parent_known: bool = False
    ) -> Created:
        """Insert one row and the writable children in its payload, in one transaction.

        ``parent_known``: the parent was created or checked in this transaction already.
        """
        values = self._own_values(payload)
        self._check_writable(values, caller)
        # Inside a bigger write no savepoint is needed: any error rolls the whole write back.
        with (
            database_errors(),
            transaction.atomic(using=self._write_db, savepoint=not parent_known),
        ):
            if not parent_known:
                self._require_parent(ids, caller.access)
            instance = self.model()
            if self.resource.parent_field and self.parent:
                setattr(instance, self.resource.parent_field.attname, ids[self.parent.id_param])
            tenant = self.resource.security.tenant_field
            if tenant is not None:
                setattr(instance, tenant.attname, caller.access.tenant_id)
            self._assign(instance, values)
            self._check_references(values, caller.access)
            self._before_save(instance, values, created=True)
            self._validate(instance)
            self._save(instance, created=True)
            self._set_many_to_many(instance, values)
            children = create_children(self, ids, instance.pk, payload, caller)
        return Created(instance.pk, children)

    def update(
        self,
        ids: PathIds,
        pk: Any,
        payload: BaseModel,
        caller: Caller,
        *,
        replace: bool,
        if_match: str | None = None,
    ) -> None:
        """PATCH sets the keys sent; PUT also resets every other writable field to its default.

        A field-scoped field left out of a PUT keeps its value. ``if_match`` is checked against
        the row as locked for this write, so two writes with the same ETag never both win.
        """
        values = self._own_values(payload)
        self._check_writable(values, caller)
        with database_errors(), transaction.atomic(using=self._write_db):
            instance = self._locked(ids, pk, caller, if_match)
            if replace:
                values = {**self._defaults(payload), **values}
            # Primary keys are chosen once, on create.
            values = {k: v for k, v in values.items() if not self.writable[k].primary_key}
            self._assign(instance, values)
            self._check_references(values, caller.access)
            self._before_save(instance, values, created=False)
            # A PATCH answers for what it sets: a stored value it leaves alone is not its to
            # fix (save() may have stored what a validator refuses, as oscar's codes).
            untouched = () if replace else tuple(self._untouched(values))
            self._validate(instance, untouched)
            self._save(instance, created=False)
            self._set_many_to_many(instance, values)

    def sync(
        self,
        ids: PathIds,
        pk: Any,
        payload: BaseModel,
        caller: Caller,
        *,
        if_match: str | None = None,
        dry_run: bool = False,
        max_affected: int | None = None,
    ) -> bytes:
        """PUT with children: replace the row and synchronise its writable children.

        ``dry_run`` answers what would happen and rolls everything back; ``max_affected``
        refuses (400, nothing written) a sync that would touch more rows.
        """
        with database_errors(), transaction.atomic(using=self._write_db):
            self.update(ids, pk, payload, caller, replace=True, if_match=if_match)
            report = sync_children(self, ids, pk, payload, caller)
            touched = 1 + affected(report)
            if max_affected is not None and touched > max_affected:
                raise ApiError(
                    400,
                    "Bad Request",
                    f"This change would touch {touched} rows; Prefer: max-affected={max_affected}.",
                )
            body = json.loads(self.retrieve(ids, pk, caller, just_written=True))
            body["sync"] = report
            if dry_run:
                transaction.set_rollback(True, using=self._write_db)
        return render_json(body)

    def sync_candidates(self, ids: PathIds, access: Access) -> dict[Any, tuple[Any, ...]]:
        """This parent's children as the caller sees them: primary key → natural key."""
        matching = self.resource.sync_matching
        rows = self._scoped(ids, access).values_list("pk", *matching)
        return {row[0]: tuple(row[1:]) for row in rows}

    def sync_target(self, item: BaseModel, existing: dict[Any, tuple[Any, ...]]) -> Any:
        """The existing child an item stands for: by primary key, else by natural key."""
        key = field_key(self.resource.model.pk)
        if key in item.model_fields_set and getattr(item, key) is not None:
            pk = getattr(item, key)
            if pk not in existing:
                raise validation_failed(
                    [FieldError(("body", key), "No such child of this parent.", "does_not_exist")]
                )
            return pk
        matching = self.resource.sync_matching
        if matching:
            natural = tuple(getattr(item, name, None) for name in matching)
            for pk, values in existing.items():
                if values == natural:
                    return pk
        return None

    def link(
        self,
        ids: PathIds,
        pk: Any,
        related: RelatedRoute,
        target_pk: Any,
        caller: Caller,
        *,
        add: bool,
    ) -> None:
        """Link (``add``) or unlink one related row; both rows must be visible to the caller."""
        self._check_writable({field_key(related.field): target_pk}, caller)
        with database_errors(), transaction.atomic(using=self._write_db):
            instance = self._scoped(ids, caller.access).filter(pk=pk).first()
            target = self.plan.get(related.target_key)
            target_access = granted(target, "retrieve", caller.access)
            if (
                instance is None
                or target_access is None
                or not visible(self.plan, target, target_access).filter(pk=target_pk).exists()
            ):
                raise not_found()
            links = getattr(instance, related.field.name)
            if add:
                links.add(target_pk)
                return
            if not links.filter(pk=target_pk).exists():
                raise not_found("The two rows are not linked.")
            links.remove(target_pk)

    def delete(self, ids: PathIds, pk: Any, caller: Caller, if_match: str | None = None) -> None:
        """Delete the row, or with ``delete_status`` mark it deleted (it then reads as gone)."""
        with database_errors(), transaction.atomic(using=self._write_db):
            instance = self._locked(ids, pk, caller, if_match)
            if self.resource.delete_status is None:
                instance.delete()
                return
            field, value = self.resource.delete_status
            setattr(instance, field.attname, value)
            _save_existing(instance, update_fields=[field.attname])

    def _locked(self, ids: PathIds, pk: Any, caller: Caller, if_match: str | None) -> Any:
        """The row to write, locked until the transaction ends; 412 if ``if_match`` is stale."""

        def locked(ids: PathIds) -> QuerySet[Any]:
            rows = self._scoped(ids, caller.access).select_for_update().filter(pk=ids["pk"])
            return rows.values(*self.attnames)[:1]  # no ORDER BY: the key names one row

        statement = self._statement(("lock",), locked, pk=True, python=True)
        keys = {**ids, "pk": pk}
        found = statement.run(keys) if statement else list(locked(keys))
        if not found:
            raise not_found()
        values = [found[0][attname] for attname in self.attnames]
        instance = self.model.from_db(self._write_db, self.attnames, values)
        if if_match is not None and match_fails(if_match, etag_of(self.retrieve(ids, pk, caller))):
            raise ApiError(
                412, "Precondition Failed", "The resource has changed; fetch it and retry."
            )
        return instance

    def _check_writable(self, values: Mapping[str, Any], caller: Caller) -> None:
        denied = sorted(set(values) & caller.unwritable)
        if denied:
            raise forbidden(
                f"You may not set: {', '.join(denied)}.",
                [FieldError(("body", key), "not allowed", "field_scope") for key in denied],
            )

    def _check_references(self, values: Mapping[str, Any], access: Access) -> None:
        """Foreign keys may only point to rows the caller can see (else: as if missing)."""
        for key, value in values.items():
            field = self.writable[key]
            target = self.by_label.get(field.relation.target) if field.relation else None
            if field.relation and field.relation.through_manager:
                continue  # rows named by the manager's own rule (taggit creates missing tags)
            if target is None or value is None or not hides_rows(self.plan, target):
                continue
            wanted = set(value) if field.is_many_to_many else {value}
            # the rows the target's own routes would show this caller
            target_access = granted(target, "retrieve", access)
            seen = visible(self.plan, target, target_access) if target_access else None
            if seen is None or seen.filter(pk__in=wanted).count() != len(wanted):
                raise validation_failed(
                    [FieldError(("body", key), "No such object.", "does_not_exist")]
                )

    def _own_values(self, payload: BaseModel) -> dict[str, Any]:
        """The keys a body sets on this row (children and a sync item's key are not its own)."""
        values = payload.model_dump(include=payload.model_fields_set)
        return {k: v for k, v in values.items() if k in self.writable}

    def _defaults(self, payload: BaseModel) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        field_scoped = self.resource.security.field_scopes
        # A value the client cannot read back (write-only, field-scoped) is kept when left out.
        kept = {*field_scoped, *(field_key(f) for f in self.resource.write_only)}
        for key in type(payload).model_fields:
            if key in kept or key not in self.writable:
                continue
            field = self.writable[key]
            django_field: Any = self.model._meta.get_field(field.name)
            defaults[key] = [] if field.is_many_to_many else django_field.get_default()
        return defaults

    def _assign(self, instance: models.Model, values: Mapping[str, Any]) -> None:
        # In the model's column order: a composite field's companion first (django-money's
        # currency before the amount it qualifies).
        errors = []
        for key in sorted(values, key=lambda k: self.column_order.get(k, len(self.column_order))):
            field = self.writable[key]
            if field.is_many_to_many:
                continue
            try:
                setattr(instance, field.attname, values[key])
            except (ValueError, TypeError, ValidationError) as exc:  # a field's own setter
                errors.append(FieldError(("body", key), _reason(exc), "invalid"))
        if errors:
            raise validation_failed(errors)

    def _before_save(
        self, instance: models.Model, values: Mapping[str, Any], *, created: bool
    ) -> None:
        if self.before_save is not None:
            own = {self.writable[k].name: v for k, v in values.items()}
            self.before_save(instance, own, created)

    def _save(self, instance: models.Model, *, created: bool) -> None:
        if self.resource.save is not None:
            self.resource.save(instance, created)
        elif created and self.create_row is not None:
            self.create_row(instance)
        elif created:
            instance.save(force_insert=True)
        else:
            _save_existing(instance)

    def _untouched(self, values: Mapping[str, Any]) -> list[str]:
        return [field.name for key, field in self.writable.items() if key not in values]

    def _validate(self, instance: models.Model, untouched: tuple[str, ...] = ()) -> None:
        try:
            full_clean(instance, trusted=(*self.trusted_fields, *untouched))
        except ValidationError as exc:
            raise validation_error(exc, self.error_keys, self.writable) from None

    def _set_many_to_many(self, instance: models.Model, values: Mapping[str, Any]) -> None:
        for key, ids in values.items():
            field = self.writable[key]
            if not field.is_many_to_many:
                continue
            wanted = set(ids)
            related = getattr(instance, field.name)
            if field.relation is not None and field.relation.through_manager:
                related.set(sorted(wanted))  # taggit: names, missing tags are created
                continue
            existing = set(
                related.model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True)
            )
            missing = wanted - existing
            if missing:
                shown = ", ".join(sorted(str(m) for m in missing))
                raise validation_failed(
                    [FieldError(("body", key), f"Unknown ids: {shown}.", "does_not_exist")]
                )
            related.set(list(wanted))


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


def _save_existing(instance: models.Model, update_fields: list[str] | None = None) -> None:
    """UPDATE only: a write racing a delete must not bring the row back (no INSERT fallback)."""
    try:
        instance.save(force_update=True, update_fields=update_fields)
    except DatabaseError as exc:
        if "did not affect any rows" in str(exc):
            raise not_found() from None
        raise
