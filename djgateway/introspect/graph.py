"""Read the model graph of some Django apps into ``ModelInfo`` records."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from django.apps import AppConfig, apps
from django.core import validators
from django.db import models
from django.utils import translation

from ..errors import Problem
from .admin import admin_options
from .types import MISSING, FieldInfo, ModelInfo, RelationInfo, RelationKind

_AUTO_TYPES = {"AutoField", "BigAutoField", "SmallAutoField"}


def model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def read_models(
    app_configs: Iterable[str | AppConfig],
    include_proxies: Iterable[str] = (),
    leave_out: Iterable[str] = (),
    representable: Callable[[FieldInfo], str | None] = lambda field: None,
) -> tuple[tuple[ModelInfo, ...], tuple[Problem, ...]]:
    """Concrete models of the given apps (auto-created through models skipped), and the
    warnings about what could not be read.

    Proxy models are skipped unless their label is in ``include_proxies``; models labelled in
    ``leave_out`` are not read at all (an override that hides a model applies before it is
    read). A field that cannot be represented is left out of its model with a warning.
    """
    wanted_proxies = set(include_proxies)
    unread = set(leave_out)
    infos: list[ModelInfo] = []
    problems: list[Problem] = []
    for app in app_configs:
        config = app if isinstance(app, AppConfig) else apps.get_app_config(app)
        for model in config.get_models():
            label = model_label(model)
            if label in unread or (model._meta.proxy and label not in wanted_proxies):
                continue
            info = read_model(model, representable)
            infos.append(info)
            problems.extend(Problem("djgateway.W001", f"{label}.{entry}") for entry in info.skipped)
    return tuple(infos), tuple(problems)


def read_model(
    model: type[models.Model], representable: Callable[[FieldInfo], str | None] = lambda f: None
) -> ModelInfo:
    meta = model._meta
    tree_columns = _tree_columns(model)
    fields: list[FieldInfo] = []
    skipped: list[str] = []
    for django_field in (*meta.concrete_fields, *meta.many_to_many):
        if not _is_plain(django_field):
            continue
        try:
            info = read_field(django_field)
        except Exception as exc:  # a third-party field this reader does not understand
            if django_field.primary_key:
                raise
            skipped.append(f"{django_field.name}: cannot be read ({type(exc).__name__}: {exc})")
            continue
        reason = None if info.primary_key else representable(info)
        if reason is not None:
            skipped.append(f"{info.name}: {reason}")
            continue
        if info.name in tree_columns:  # maintained by treebeard's add_root / add_child
            info = replace(info, editable=False, auto=True)
        fields.append(info)
    pk = next(f for f in fields if f.primary_key)
    return ModelInfo(
        label=model_label(model),
        app_label=meta.app_label,
        object_name=meta.object_name or model.__name__,
        verbose_name=_untranslated(meta.verbose_name),
        verbose_name_plural=_untranslated(meta.verbose_name_plural),
        is_proxy=bool(meta.proxy),
        pk=pk,
        fields=tuple(fields),
        ordering=tuple(o for o in meta.ordering or () if isinstance(o, str)),
        admin=admin_options(model),
        model=model,
        skipped=tuple(skipped),
        tree=bool(tree_columns),
    )


def _untranslated(text: Any) -> str:
    # Names must not follow the active language: a translation update would rename the API.
    with translation.override(None):
        return str(text)


def _tree_columns(model: type[models.Model]) -> set[str]:
    """The columns django-treebeard maintains itself (path, depth, numchild, lft, rgt, ...)."""
    if not (hasattr(model, "add_root") and hasattr(model, "get_root_nodes")):
        return set()
    columns: set[str] = set()
    for base in model.__mro__:
        meta = getattr(base, "_meta", None)
        if meta is not None and meta.abstract and base.__module__.startswith("treebeard."):
            columns.update(f.name for f in meta.local_fields if not f.is_relation)
    return columns


def _is_plain(field: Any) -> bool:
    # Generic foreign keys and other virtual fields have no column of their own.
    return isinstance(field, models.Field)


def read_field(field: models.Field[Any, Any]) -> FieldInfo:
    internal_type = field.get_internal_type()
    min_value, max_value, min_length, max_length = _validator_limits(field)
    auto_now = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    # A multi-table child's link to its parent row is set by Django, never by a client.
    parent_link = bool(field.remote_field and getattr(field.remote_field, "parent_link", False))
    default = field.default if field.has_default() and not callable(field.default) else MISSING
    class_names = tuple(
        cls.__name__ for cls in type(field).__mro__ if issubclass(cls, models.Field)
    )
    relation = _relation(field)
    return FieldInfo(
        name=field.name,
        attname=field.attname,
        internal_type=internal_type,
        class_names=class_names,
        null=field.null,
        blank=field.blank,
        editable=_editable(field, class_names, relation) and not auto_now and not parent_link,
        primary_key=field.primary_key,
        auto=internal_type in _AUTO_TYPES or auto_now or parent_link,
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
        help_text=_untranslated(field.help_text or ""),
        relation=relation,
        multiple=bool(getattr(field, "multiple", False)) and internal_type == "CharField",
        allow_unicode=bool(getattr(field, "allow_unicode", False)),
        patterns=_patterns(field),
        validated_as=_validated_as(field),
        unstated_validators=_unstated_validators(field),
    )


# Columns a composite field keeps beside its own and marks non-editable only because its
# form field edits both: django-money's currency next to the amount.
_COMPANION_COLUMNS = {"CurrencyField"}


def _editable(
    field: models.Field[Any, Any], class_names: tuple[str, ...], relation: RelationInfo | None
) -> bool:
    if not field.editable:
        return bool(_COMPANION_COLUMNS & set(class_names))
    if relation is not None and relation.kind == "many_to_many" and not relation.through_manager:
        return _settable_through(field)
    return True


def _settable_through(field: Any) -> bool:
    """``set()`` on a custom ``through=`` model works when its other columns need no value."""
    through = field.remote_field.through
    if through._meta.auto_created:
        return True
    links = {field.m2m_field_name(), field.m2m_reverse_field_name()}
    return all(
        f.primary_key or f.name in links or f.has_default() or f.null
        for f in through._meta.concrete_fields
    )


def _choices(field: models.Field[Any, Any]) -> tuple[tuple[Any, str], ...] | None:
    # Choices read untranslated: their order may follow the labels (django-countries sorts
    # them by name). A field holding a list of choices (multiple=True) has no flat choices.
    with translation.override(None):
        if not field.choices:
            return None
        flat = field.flatchoices or [
            (value, label) for value, label in field.choices if not isinstance(label, list | tuple)
        ]
        return tuple((value, str(label)) for value, label in flat) or None


def _validator_limits(field: models.Field[Any, Any]) -> tuple[Any, Any, int | None, int | None]:
    """The tightest Min/MaxValue and Min/MaxLength limits among the field's validators."""
    min_value: Any = None
    max_value: Any = None
    min_length: int | None = None
    max_length: int | None = getattr(field, "max_length", None)
    for validator in field.validators:
        limit: Any = getattr(validator, "limit_value", None)
        if not _is_scalar(limit):
            continue  # absent, callable, or a composite value (django-money's Money)
        if isinstance(validator, validators.MinValueValidator):
            min_value = limit if min_value is None else max(min_value, limit)
        elif isinstance(validator, validators.MaxValueValidator):
            max_value = limit if max_value is None else min(max_value, limit)
        elif isinstance(validator, validators.MinLengthValidator):
            min_length = limit if min_length is None else max(min_length, limit)
        elif isinstance(validator, validators.MaxLengthValidator):
            max_length = limit if max_length is None else min(max_length, limit)
    return min_value, max_value, min_length, max_length


def _patterns(field: models.Field[Any, Any]) -> tuple[str, ...]:
    """The expressions of the ``RegexValidator``s given to a field (not its class's defaults,
    which the field's own schema states) that mean the same in JSON Schema."""
    found = (_json_pattern(v) for v in getattr(field, "_validators", ()))
    return tuple(pattern for pattern in found if pattern is not None)


def _json_pattern(validator: Any) -> str | None:
    r"""A ``RegexValidator``'s expression as JSON Schema reads it (no flags, not inverted;
    ``\A`` and ``\Z`` become ``^`` and ``$``), else None."""
    regex = getattr(validator, "regex", None)
    if not isinstance(validator, validators.RegexValidator) or regex is None:
        return None
    if validator.inverse_match or validator.flags or regex.flags & ~re.UNICODE:
        return None
    return str(regex.pattern.replace("\\A", "^").replace("\\Z", "$"))


def _validated_as(field: models.Field[Any, Any]) -> tuple[str, ...]:
    """The formats a text field's validators check, whatever its class (oscar's
    ``ExtendedURLField`` is a ``CharField`` with a ``URLValidator``)."""
    kinds = []
    if any(isinstance(v, validators.URLValidator) for v in field.validators):
        kinds.append("url")
    if any(isinstance(v, validators.EmailValidator) for v in field.validators):
        kinds.append("email")
    return tuple(kinds)


# Validators whose rule the field's schema states (bounds, lengths, digits, patterns, formats).
_STATED_VALIDATORS = (
    validators.BaseValidator,  # min/max value and length, step
    validators.DecimalValidator,
    validators.ProhibitNullCharactersValidator,
)


def _unstated_validators(field: models.Field[Any, Any]) -> tuple[str, ...]:
    """The validators given to ``field`` (not its class's defaults, which its type states)
    whose rule the schema cannot state: functions, and expressions JSON Schema cannot read."""
    names = []
    for validator in getattr(field, "_validators", ()):
        if isinstance(validator, validators.URLValidator | validators.EmailValidator):
            continue  # stated as formats (``_validated_as``)
        if isinstance(validator, validators.RegexValidator):
            if _json_pattern(validator) is not None:
                continue
        elif isinstance(validator, _STATED_VALIDATORS):
            continue
        names.append(getattr(validator, "__name__", type(validator).__name__))
    return tuple(names)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, int | float | decimal.Decimal | datetime.date)


def _relation(field: models.Field[Any, Any]) -> RelationInfo | None:
    if not field.is_relation or field.remote_field is None:
        return None
    remote = field.remote_field
    target: type[models.Model] = remote.model
    kind: RelationKind
    through_manager = False
    # Recognised by behaviour, not class: taggit's TaggableManager is a many-to-many too.
    if field.many_to_many:
        kind = "many_to_many"
        through_manager = not isinstance(field, models.ManyToManyField)
        target_field = read_field(_row_name(target) if through_manager else target._meta.pk)
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
        through_manager=through_manager,
    )


def _row_name(target: type[models.Model]) -> models.Field[Any, Any]:
    """What a client names a row of a manager-written many-to-many by: a tag's unique name
    (taggit's ``set()`` takes names and creates missing tags), else the key."""
    for field in target._meta.concrete_fields:
        if field.name == "name" and field.unique:
            return field
    return target._meta.pk
