"""Build the read / create / replace / patch / page schemas of a resource.

Generated request schemas forbid unknown keys, so read-only fields and primary keys cannot be
mass-assigned; explicit schemas from ``Resource(read=, create=, update=)`` replace them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    TypeAdapter,
    WithJsonSchema,
    create_model,
)

from ..errors import ConfigurationError
from ..introspect import FieldInfo
from ..introspect.types import MISSING
from ..plan import ResourcePlan
from .fields import python_type, stored_type

READ_CONFIG = ConfigDict(ser_json_bytes="base64", ser_json_timedelta="iso8601")
WRITE_CONFIG = ConfigDict(
    extra="forbid", ser_json_bytes="base64", val_json_bytes="base64", title=None
)


@dataclass(frozen=True)
class ResourceSchemas:
    read: type[BaseModel]
    create: type[BaseModel]
    replace: type[BaseModel]
    patch: type[BaseModel]
    list_item: type[BaseModel]  # read; its model takes the rows ``?fields=`` cuts down
    page: type[BaseModel]
    created: type[BaseModel]  # read, plus the children created with it
    create_body: Any = None  # the POST body: ``create``, or with bulk create also a list of it
    bulk_created: type[BaseModel] | None = None
    child_keys: dict[str, str] = field(default_factory=dict)  # body key → child resource key
    sync_item: type[BaseModel] | None = None  # an item of this resource in a parent's PUT
    synced: type[BaseModel] | None = None  # the PUT response when children are synchronised

    @property
    def post_body(self) -> Any:
        return self.create_body or self.create


def build_schemas(
    resource: ResourcePlan, built: Mapping[str, ResourceSchemas] | None = None
) -> ResourceSchemas:
    """``built`` holds the schemas of the resource's writable children (built first)."""
    name = resource.schema_name
    explicit = resource.explicit
    scoped = resource.security.field_scopes

    def read_field(field: FieldInfo) -> tuple[Any, Any]:
        # A field behind a read scope is absent for callers without it: not required.
        if field_key(field) in scoped:
            return _read_type(field), Field(
                default=None, description=_description(field), json_schema_extra=_PLACEHOLDER
            )
        return _read_type(field), Field(description=_description(field))

    read = explicit.read or _model(f"{name}Read", resource.fields, read_field, READ_CONFIG)
    create = explicit.create or _model(
        f"{name}Create", (*resource.create_only, *resource.writable), _create_field, WRITE_CONFIG
    )

    def replace_field(field: FieldInfo) -> tuple[Any, Any]:
        # A PUT without a field-scoped or write-only field leaves it unchanged: not required.
        kept = field_key(field) in scoped or field in resource.write_only
        return (_patch_field if kept else _create_field)(field)

    replace = explicit.create or _model(
        f"{name}Replace", resource.writable, replace_field, WRITE_CONFIG
    )
    patch = explicit.update or _model(f"{name}Patch", resource.writable, _patch_field, WRITE_CONFIG)
    for schema, allowed in (
        (read, resource.fields),
        (create, (*resource.create_only, *resource.writable)),
        (patch, resource.writable),
    ):
        _check_explicit(resource, schema, allowed)
    list_item = _list_item(f"{name}ListItem", read)
    page = create_model(
        f"{name}Page",
        __config__=READ_CONFIG,
        items=(list[list_item], ...),  # type: ignore[valid-type]
        next_cursor=(
            str | None,
            Field(description="Pass as ?cursor= to get the next page; null on the last page."),
        ),
        count=(
            int | None,
            Field(
                default=None,
                description="Total matching rows; only with ?count=exact or Prefer: count=exact.",
                json_schema_extra=_PLACEHOLDER,
            ),
        ),
    )
    children = {naming_key(built_key): built_key for built_key in resource.writable_children}
    created = read
    if children:
        assert built is not None
        nested_create: dict[str, Any] = {
            key: (_list_of(built[child].create), Field(default_factory=list))
            for key, child in children.items()
        }
        nested_created: dict[str, Any] = {
            key: (_list_of(built[child].created), Field(default_factory=list))
            for key, child in children.items()
        }
        create = create_model(f"{name}Create", __base__=create, **nested_create)
        created = create_model(f"{name}Created", __base__=read, **nested_created)
        nested_sync: dict[str, Any] = {
            key: (_list_of(built[child].sync_item) | None, _placeholder())
            for key, child in children.items()
        }
        replace = _with_fields(f"{name}Replace", replace, nested_sync)
        synced = create_model(
            f"{name}Synced",
            __base__=read,
            sync=(dict[str, SyncReport], Field(description="What the PUT did to children.")),
        )
    else:
        nested_sync = {}
        synced = None
    pk = resource.model.pk
    sync_item = _with_fields(
        f"{name}SyncItem",
        replace,
        {field_key(pk): (_value_type(pk) | None, _placeholder())}
        if not resource.explicit.create
        else {},
    )
    create_body: Any = None
    bulk_created = None
    if resource.bulk_max:
        size = Field(min_length=1, max_length=resource.bulk_max)
        create_body = create | Annotated[_list_of(create), size]
        bulk_created = create_model(
            f"{name}CreatedList",
            __config__=READ_CONFIG,
            items=(list[created], ...),  # type: ignore[valid-type]
        )
    return ResourceSchemas(
        read=read,
        create=create,
        replace=replace,
        patch=patch,
        list_item=list_item,
        page=page,
        created=created,
        create_body=create_body,
        bulk_created=bulk_created,
        child_keys=children,
        sync_item=sync_item,
        synced=synced,
    )


class SyncReport(BaseModel):
    created: list[JsonValue] = Field(description="Primary keys of the children created.")
    updated: list[JsonValue] = Field(description="Primary keys of the children replaced.")
    deleted: list[JsonValue] = Field(description="Primary keys of the children deleted.")


def _placeholder() -> Any:
    return Field(default=None, json_schema_extra=_PLACEHOLDER)


def _with_fields(name: str, base: type[BaseModel], extra: dict[str, Any]) -> type[BaseModel]:
    """``base`` under a new name with ``extra`` fields; their placeholder defaults undocumented."""
    if not extra:
        return create_model(name, __base__=base)
    config = ConfigDict(**base.model_config)
    config["json_schema_extra"] = _without_defaults(
        [k for k, info in base.model_fields.items() if info.json_schema_extra is _PLACEHOLDER]
        + list(extra)
    )
    return create_model(name, __base__=base, __config__=config, **extra)


def _list_of(item: Any) -> Any:
    return list[item]


def naming_key(resource_key: str) -> str:
    """The body key of a child collection: ``companies.departments`` → ``departments``."""
    return resource_key.rsplit(".", 1)[-1].replace("-", "_")


def _list_item(name: str, schema: type[BaseModel]) -> type[BaseModel]:
    """``schema`` as a list item: documented with the keys it requires, since a page holds them
    unless ``?fields=`` (a sparse fieldset, described on that parameter) leaves some out. The
    model itself takes every field as optional, to serialise such cut-down rows (and rows
    without the field-scoped keys a caller may not read, which the read schema leaves optional
    already)."""
    fields: dict[str, Any] = {
        key: (_documented(info), Field(default=None, json_schema_extra=_PLACEHOLDER))
        for key, info in schema.model_fields.items()
    }
    required = [key for key, info in schema.model_fields.items() if info.is_required()]
    document = _documented_as_required(list(fields), required)
    decorators = schema.__pydantic_decorators__
    if any(
        (
            decorators.field_validators,
            decorators.model_validators,
            decorators.field_serializers,
            decorators.model_serializers,
            decorators.computed_fields,
        )
    ):
        # An explicit read schema's validators and serializers apply to list items too.
        item: type[BaseModel] = create_model(name, __base__=schema, **fields)
        item.model_config["json_schema_extra"] = document
        return item
    config = ConfigDict(**READ_CONFIG)
    config["json_schema_extra"] = document
    return create_model(name, __config__=config, **fields)


def _documented_as_required(
    placeholders: list[str], required: list[str]
) -> Callable[[dict[str, Any]], None]:
    drop_defaults = _without_defaults(placeholders)

    def document(schema: dict[str, Any]) -> None:
        drop_defaults(schema)
        keys = [key for key in required if key in schema["properties"]]
        if keys:
            schema["required"] = keys

    return document


def _documented(info: Any) -> Any:
    """A field's whole annotation: its type with the validators and the schema it documents
    (pydantic keeps an outer ``Annotated``'s metadata apart from ``info.annotation``)."""
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def field_key(field: FieldInfo) -> str:
    """The key of a field in bodies: ``department_id`` for a foreign key, else its name."""
    return field.name if field.is_many_to_many else field.attname


def _model(
    name: str,
    fields: tuple[FieldInfo, ...],
    make: Callable[[FieldInfo], tuple[Any, Any]],
    config: ConfigDict,
) -> type[BaseModel]:
    definitions: dict[str, Any] = {field_key(f): make(f) for f in fields}
    # A pydantic default of None that only stands for "key left out" is not documented.
    placeholders = [
        key for key, (_type, info) in definitions.items() if info.json_schema_extra is _PLACEHOLDER
    ]
    if placeholders:
        config = ConfigDict(**config)
        config["json_schema_extra"] = _without_defaults(placeholders)
    return create_model(name, __config__=config, **definitions)


_PLACEHOLDER: dict[str, Any] = {}


def _without_defaults(keys: list[str]) -> Callable[[dict[str, Any]], None]:
    def drop(schema: dict[str, Any]) -> None:
        for key in keys:
            schema["properties"][key].pop("default", None)

    return drop


def _value_type(field: FieldInfo) -> Any:
    if field.choices and not field.is_many_to_many and not field.multiple:
        values = [value for value, _label in field.choices]
        if field.blank and "" not in values and field.empty_strings_allowed:
            values.append("")
        value_type: Any = Literal[tuple(values)]
    else:
        value_type = python_type(field)
    return value_type | None if field.null and not field.is_many_to_many else value_type


def _read_type(field: FieldInfo) -> Any:
    """The type a stored value is read as: the column's type without the write side's
    constraints (``fields.stored_type``), documented as the write side's. A float column may
    also hold infinities and NaN (SQL can write them, JSON cannot): pydantic writes them as
    ``null``, as the plain path does."""
    value_type = _value_type(field)
    stored = stored_type(field)
    if stored is None:
        return value_type
    documented = TypeAdapter(value_type).json_schema(mode="serialization")
    lenient = stored | None if field.null and not field.is_many_to_many else stored
    return Annotated[lenient, WithJsonSchema(documented)]


def _description(field: FieldInfo) -> str | None:
    return field.help_text or None


def _write_description(field: FieldInfo) -> str | None:
    """The help text, and the validators the schema cannot state (a value it allows may still
    be refused with a 422 naming the field)."""
    if not field.unstated_validators:
        return _description(field)
    names = ", ".join(f"`{name}`" for name in field.unstated_validators)
    checked = f"Also checked by {names}, which this schema cannot state."
    return f"{field.help_text} {checked}" if field.help_text else checked


def _for_writes(field: FieldInfo) -> FieldInfo:
    """Django refuses an empty value on save unless ``blank=True``: requests say so (``null``
    without ``blank`` too: the column may hold NULL, ``full_clean`` refuses it)."""
    if field.null and not field.blank and not field.is_many_to_many:
        field = replace(field, null=False)
    if "CurrencyField" in field.class_names and field.default in (None, MISSING):
        # django-money: an amount needs a currency and this one has no default: send it.
        field = replace(field, null=False, blank=False, has_default=False, default=MISSING)
    if field.blank or field.choices:
        return field
    if field.relation and (not field.is_many_to_many or field.relation.through_manager):
        # a key to a row with a text primary key, or a tag's name
        target = _for_writes(field.relation.target_field)
        return replace(field, relation=replace(field.relation, target_field=target))
    if not field.empty_strings_allowed:
        return field
    return replace(field, min_length=max(field.min_length or 0, 1))


def _create_field(field: FieldInfo) -> tuple[Any, Any]:
    field = _for_writes(field)
    value_type = _value_type(field)
    if _is_required(field):
        return value_type, Field(description=_write_description(field))
    if field.is_many_to_many:
        return value_type, Field(default_factory=list, description=_write_description(field))
    if field.default is not MISSING and _is_json_constant(field.default):
        return value_type, Field(default=field.default, description=_write_description(field))
    # Optional without a documentable default: Django fills it in when the key is absent.
    return value_type, Field(
        default=None, description=_write_description(field), json_schema_extra=_PLACEHOLDER
    )


def _patch_field(field: FieldInfo) -> tuple[Any, Any]:
    # A key left out is not touched; explicit null is validated against the field's type.
    return _value_type(_for_writes(field)), Field(
        default=None, description=_write_description(field), json_schema_extra=_PLACEHOLDER
    )


def _is_required(field: FieldInfo) -> bool:
    if field.is_many_to_many or field.has_default or field.null:
        return False
    return not (field.blank and field.empty_strings_allowed)


def _is_json_constant(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _check_explicit(
    resource: ResourcePlan, schema: type[BaseModel], allowed: tuple[FieldInfo, ...]
) -> None:
    keys = {key for field in allowed for key in (field.name, field.attname)}
    unknown = sorted(set(schema.model_fields) - keys)
    if unknown:
        raise ConfigurationError(
            "djgateway.E008",
            f"{resource.label}: schema {schema.__name__} has fields that are not exposed "
            f"or not writable on the model: {unknown}",
        )
