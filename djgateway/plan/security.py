"""Security of each resource: authenticator, inherited scopes, row filter, tenant, field scopes."""

from __future__ import annotations

from ..errors import ConfigurationError
from ..introspect import FieldInfo, ModelInfo
from ..resources import UNSET, Resource
from ..security import FieldScopes, inherited
from ..security.scopes import METHOD_FOR_ACTION
from .types import GatewayOptions, ResourcePlan, ResourceSecurity


def resource_security(
    key: str,
    segment: str,
    *,
    info: ModelInfo,
    resource: Resource,
    parent: ResourcePlan | None,
    options: GatewayOptions,
    fields: tuple[FieldInfo, ...],
) -> ResourceSecurity:
    if resource.security is not UNSET:
        authenticator = resource.security
    elif parent is not None:
        authenticator = parent.security.authenticator
    else:
        authenticator = options.security
    declared = resource.scopes or options.scopes
    own = declared.for_resource(segment) if declared is not None else None
    chain = (*(parent.security.scope_chain if parent else ()), (key, own))
    required = {action: inherited(method, chain) for action, method in METHOD_FOR_ACTION.items()}
    return ResourceSecurity(
        authenticator=authenticator,
        own_scopes=own,
        scope_chain=chain,
        required=required,
        objects_filter=resource.objects_filter,
        tenant_field=_tenant_field(info, resource, options) if authenticator else None,
        field_scopes=_field_scopes(info, resource, fields),
    )


def _tenant_field(info: ModelInfo, resource: Resource, options: GatewayOptions) -> FieldInfo | None:
    name = options.tenant_field if resource.tenant_field is UNSET else resource.tenant_field
    if name is None:
        return None
    try:
        return info.field(name)
    except KeyError:
        if resource.tenant_field is not UNSET:
            raise ConfigurationError(
                "djgateway.E013", f"{info.label}: Resource(tenant_field={name!r}) names no field"
            ) from None
        return None


def _field_scopes(
    info: ModelInfo, resource: Resource, fields: tuple[FieldInfo, ...]
) -> dict[str, FieldScopes]:
    exposed = {f.name: f for f in fields} | {f.attname: f for f in fields}
    scoped: dict[str, FieldScopes] = {}
    for name, scopes in (resource.field_scopes or {}).items():
        if name not in exposed:
            raise ConfigurationError(
                "djgateway.E013",
                f"{info.label}: Resource(field_scopes=...) names {name!r}, not an exposed field",
            )
        field = exposed[name]
        scoped[field.name if field.is_many_to_many else field.attname] = scopes
    return scoped
