"""Plain descriptions of models, fields and relations, detached from Django's classes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models

from .admin import AdminOptions

RelationKind = Literal["foreign_key", "one_to_one", "many_to_many"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class RelationInfo:
    kind: RelationKind
    target: str  # "app_label.ModelName"
    on_delete: str | None  # "CASCADE", "PROTECT", ... (None for many-to-many)
    accessor: str  # attribute on the target that leads back, e.g. "departments"
    accessor_is_default: bool  # True when Django invented it (``foo_set``)
    target_field: FieldInfo  # what stands for a related row: its key, or a tag's name
    query_name: str = ""  # lookup from the target back to this model, e.g. "products"
    # a many-to-many that is not a plain ``ManyToManyField`` (taggit): read through a join,
    # written with the manager's ``set()``
    through_manager: bool = False


@dataclass(frozen=True)
class FieldInfo:
    name: str
    attname: str
    internal_type: str
    class_names: tuple[str, ...] = ()  # the field's class and its Field bases, most specific first
    null: bool = False
    blank: bool = False
    editable: bool = True
    primary_key: bool = False
    auto: bool = False  # value chosen by the database or by auto_now / auto_now_add
    unique: bool = False
    default: Any = MISSING  # constant default; MISSING when absent or callable
    has_default: bool = False
    empty_strings_allowed: bool = True
    max_length: int | None = None
    min_length: int | None = None
    min_value: Any = None
    max_value: Any = None
    max_digits: int | None = None
    decimal_places: int | None = None
    choices: tuple[tuple[Any, str], ...] | None = None
    help_text: str = ""
    relation: RelationInfo | None = None
    multiple: bool = False  # text holding a comma-separated list of choices (django-countries)
    allow_unicode: bool = False  # a SlugField taking letters beyond ASCII
    patterns: tuple[str, ...] = ()  # the regular expressions of its RegexValidators
    validated_as: tuple[str, ...] = ()  # "url" / "email": a validator of that kind checks it
    # the names of validators given to the field that no schema can state (a function such as
    # contrib.sites' ``_simple_domain_name_validator``): requests are told, the fuzzer knows
    unstated_validators: tuple[str, ...] = ()

    @property
    def is_many_to_many(self) -> bool:
        return self.relation is not None and self.relation.kind == "many_to_many"


@dataclass(frozen=True)
class ModelInfo:
    label: str  # "app_label.ModelName"
    app_label: str
    object_name: str
    verbose_name: str
    verbose_name_plural: str
    is_proxy: bool
    pk: FieldInfo
    fields: tuple[FieldInfo, ...]
    ordering: tuple[str, ...] = ()
    admin: AdminOptions | None = None
    model: type[models.Model] = field(compare=False, repr=False, default=models.Model)
    skipped: tuple[str, ...] = ()  # "field: reason" for fields that cannot be represented
    tree: bool = False  # a django-treebeard node: created with add_root, its columns read-only

    def field(self, name: str) -> FieldInfo:
        for info in self.fields:
            if name in (info.name, info.attname):
                return info
        raise KeyError(name)

    @property
    def foreign_keys(self) -> tuple[FieldInfo, ...]:
        return tuple(f for f in self.fields if f.relation and f.relation.kind != "many_to_many")
