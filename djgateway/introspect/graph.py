"""Read the model graph of some Django apps into ``ModelInfo`` records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig, apps
from django.core import validators
from django.db import models

from .admin import admin_options
from .types import MISSING, FieldInfo, ModelInfo, RelationInfo, RelationKind

_AUTO_TYPES = {"AutoField", "BigAutoField", "SmallAutoField"}


def model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def read_models(
    app_configs: Iterable[str | AppConfig], include_proxies: Iterable[str] = ()
) -> tuple[ModelInfo, ...]:
    """Concrete models of the given apps (auto-created through models skipped).

    Proxy models are skipped unless their label is in ``include_proxies``.
    """
    wanted_proxies = set(include_proxies)
    infos: list[ModelInfo] = []
    for app in app_configs:
        config = app if isinstance(app, AppConfig) else apps.get_app_config(app)
        for model in config.get_models():
            meta = model._meta
            if meta.proxy and model_label(model) not in wanted_proxies:
                continue
            infos.append(read_model(model))
    return tuple(infos)


def read_model(model: type[models.Model]) -> ModelInfo:
    meta = model._meta
    fields = tuple(
        read_field(f) for f in (*meta.concrete_fields, *meta.many_to_many) if _is_plain(f)
    )
    pk = next(f for f in fields if f.primary_key)
    return ModelInfo(
        label=model_label(model),
        app_label=meta.app_label,
        object_name=meta.object_name or model.__name__,
        verbose_name=str(meta.verbose_name),
        verbose_name_plural=str(meta.verbose_name_plural),
        is_proxy=bool(meta.proxy),
        pk=pk,
        fields=fields,
        ordering=tuple(o for o in meta.ordering or () if isinstance(o, str)),
        admin=admin_options(model),
        model=model,
    )


def _is_plain(field: Any) -> bool:
    # Generic foreign keys and other virtual fields have no column of their own.
    return isinstance(field, models.Field)


def read_field(field: models.Field[Any, Any]) -> FieldInfo:
    internal_type = field.get_internal_type()
    min_value, max_value, min_length, max_length = _validator_limits(field)
    auto_now = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    default = field.default if field.has_default() and not callable(field.default) else MISSING
    return FieldInfo(
        name=field.name,
        attname=field.attname,
        internal_type=internal_type,
        class_names=tuple(
            cls.__name__ for cls in type(field).__mro__ if issubclass(cls, models.Field)
        ),
        null=field.null,
        blank=field.blank,
        editable=field.editable and not auto_now,
        primary_key=field.primary_key,
        auto=internal_type in _AUTO_TYPES or auto_now,
        unique=field.unique,
        default=default,
        has_default=field.has_default(),
        empty_strings_allowed=field.empty_strings_allowed,
        max_length=max_length,
        min_length=min_length,
        min_value=min_value,
        max_value=max_value,
        max_digits=getattr(field, "max_digits", None),
        decimal_places=getattr(field, "decimal_places", None),
        choices=_choices(field),
        help_text=str(field.help_text or ""),
        relation=_relation(field),
    )


def _choices(field: models.Field[Any, Any]) -> tuple[tuple[Any, str], ...] | None:
    if not field.choices:
        return None
    flat: list[tuple[Any, str]] = []
    for value, label in field.flatchoices:
        flat.append((value, str(label)))
    return tuple(flat)


def _validator_limits(field: models.Field[Any, Any]) -> tuple[Any, Any, int | None, int | None]:
    """The tightest Min/MaxValue and Min/MaxLength limits among the field's validators."""
    min_value: Any = None
    max_value: Any = None
    min_length: int | None = None
    max_length: int | None = getattr(field, "max_length", None)
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if limit is None or callable(limit):
            continue
        if isinstance(validator, validators.MinValueValidator):
            min_value = limit if min_value is None else max(min_value, limit)
        elif isinstance(validator, validators.MaxValueValidator):
            max_value = limit if max_value is None else min(max_value, limit)
        elif isinstance(validator, validators.MinLengthValidator):
            min_length = limit if min_length is None else max(min_length, limit)
        elif isinstance(validator, validators.MaxLengthValidator):
            max_length = limit if max_length is None else min(max_length, limit)
    return min_value, max_value, min_length, max_length


def _relation(field: models.Field[Any, Any]) -> RelationInfo | None:
    if not field.is_relation or field.remote_field is None:
        return None
    remote = field.remote_field
    target: type[models.Model] = remote.model
    kind: RelationKind
    if isinstance(field, models.ManyToManyField):
        kind = "many_to_many"
        target_field = read_field(target._meta.pk)
        on_delete = None
    else:
        kind = "one_to_one" if isinstance(field, models.OneToOneField) else "foreign_key"
        target_field = read_field(field.target_field)  # type: ignore[attr-defined]
        on_delete = getattr(remote.on_delete, "__name__", str(remote.on_delete))
    related_name = getattr(remote, "related_name", None)
    accessor = remote.get_accessor_name() or ""
    return RelationInfo(
        kind=kind,
        target=model_label(target),
        on_delete=on_delete,
        accessor=accessor,
        accessor_is_default=not related_name,
        query_name=field.related_query_name(),  # type: ignore[attr-defined]
        target_field=target_field,
    )
