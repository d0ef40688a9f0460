"""FastAPI's OpenAPI document, the same to the byte, built without FastAPI's repeated work.

``fastapi.openapi.utils.get_openapi`` spends most of its time on work whose result it throws
away: to list the models a document needs, it wraps every field of every model in a
``ModelField`` (a pydantic ``TypeAdapter`` each) and does so three times over; it wraps every
model found once more, also those it then leaves out; and it re-encodes the finished document
node by node with ``jsonable_encoder``, while the garbage collector scans the heap again and
again. For a gateway of 70 models that is seconds. ``openapi_document`` takes the same steps:

- the models are found by the same walk over the same annotations (``model_fields``), without
  a ``ModelField`` per field;
- the ``ModelField`` of a model goes to pydantic's ``generate_definitions`` as in FastAPI, made
  only for the models FastAPI keeps;
- the result goes through FastAPI's ``OpenAPI`` model as before, and the encoder's last pass
  (drop ``None`` values and keys starting with ``_sa``) is a plain recursion;
- with the cyclic garbage collector paused (``gc_pause.py``).

Everything else is FastAPI's own code: the fields of the routes (``get_fields_from_routes``),
every operation (``get_openapi_path``), the model names, the schema generator class. The steps
mirrored here are fingerprinted: with a FastAPI whose versions of them differ from the ones this
module was checked against, ``openapi_document`` is FastAPI's ``get_openapi`` itself.

``install_openapi(app)`` makes ``app.openapi()`` use it (``Gateway.app()`` does); it serves any
application, whatever else it routes. An application that includes ``gateway.router`` without
it gets the same document from FastAPI, only more slowly.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Sequence
from enum import Enum
from functools import cache
from typing import Any, cast, get_args, get_origin

from fastapi import FastAPI
from fastapi.openapi import utils as openapi_utils
from pydantic import BaseModel

from ..gc_pause import paused_gc

# FastAPI's functions whose steps ``_document`` repeats, and the digest of their source as
# checked (``python -m djgateway.binding.openapi`` prints the current one).
MIRRORED = (
    "fastapi.openapi.utils:get_openapi",
    "fastapi._compat.v2:get_definitions",
    "fastapi._compat.v2:get_model_fields",
    "fastapi._compat.v2:get_flat_models_from_fields",
    "fastapi._compat.v2:get_flat_models_from_field",
    "fastapi._compat.v2:get_flat_models_from_model",
    "fastapi._compat.v2:get_flat_models_from_annotation",
    "fastapi.encoders:jsonable_encoder",
    "fastapi.applications:FastAPI.openapi",
)
CHECKED_DIGEST = "4eb8887498f95ebd"

ModelSet = set[type[BaseModel] | type[Enum]]


def openapi_document(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[Any],
    webhooks: Sequence[Any] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
    external_docs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``fastapi.openapi.utils.get_openapi``, with the same arguments and the same result."""
    arguments: dict[str, Any] = {
        "title": title,
        "version": version,
        "openapi_version": openapi_version,
        "summary": summary,
        "description": description,
        "routes": routes,
        "webhooks": webhooks,
        "tags": tags,
        "servers": servers,
        "terms_of_service": terms_of_service,
        "contact": contact,
        "license_info": license_info,
        "separate_input_output_schemas": separate_input_output_schemas,
        "external_docs": external_docs,
    }
    with paused_gc():
        if not mirrors_fastapi():
            return openapi_utils.get_openapi(**arguments)
        return _document(**arguments)


def app_openapi(app: FastAPI) -> dict[str, Any]:
    """What ``FastAPI.openapi`` returns for ``app``, cached on it the same way."""
    router: Any = app.router
    routes_version = router._get_routes_version()
    if not app.openapi_schema or app._openapi_routes_version != routes_version:
        app.openapi_schema = openapi_document(
            title=app.title,
            version=app.version,
            openapi_version=app.openapi_version,
            summary=app.summary,
            description=app.description,
            terms_of_service=app.terms_of_service,
            contact=app.contact,
            license_info=app.license_info,
            routes=app.routes,
            webhooks=app.webhooks.routes,
            tags=app.openapi_tags,
            servers=app.servers,
            separate_input_output_schemas=app.separate_input_output_schemas,
            external_docs=app.openapi_external_docs,
        )
        app._openapi_routes_version = routes_version
    return app.openapi_schema


def install_openapi(app: FastAPI) -> FastAPI:
    """Serve ``app``'s document (``/openapi.json``, ``app.openapi()``) from
    ``openapi_document``; with a FastAPI it was not checked against, leave ``app`` alone."""
    if mirrors_fastapi():

        def openapi() -> dict[str, Any]:
            return app_openapi(app)

        app.openapi = openapi  # type: ignore[method-assign]
    return app


@cache
def mirrors_fastapi() -> bool:
    """Whether the installed FastAPI's mirrored functions are the ones checked."""
    return fastapi_digest() == CHECKED_DIGEST


def fastapi_digest() -> str:
    digest = hashlib.sha256()
    for target in MIRRORED:
        module_name, _, qualname = target.partition(":")
        try:
            found: Any = __import__(module_name, fromlist=["_"])
            for part in qualname.split("."):
                found = getattr(found, part)
            source = inspect.getsource(found)
        except (ImportError, AttributeError, OSError, TypeError):
            return "unavailable"
        digest.update(target.encode())
        digest.update(source.encode())
    return digest.hexdigest()[:16]


def _document(
    *,
    title: str,
    version: str,
    openapi_version: str,
    summary: str | None,
    description: str | None,
    routes: Sequence[Any],
    webhooks: Sequence[Any] | None,
    tags: list[dict[str, Any]] | None,
    servers: list[dict[str, Any]] | None,
    terms_of_service: str | None,
    contact: dict[str, Any] | None,
    license_info: dict[str, Any] | None,
    separate_input_output_schemas: bool,
    external_docs: dict[str, Any] | None,
) -> dict[str, Any]:
    # Step for step ``get_openapi``; only the model walk, the definitions and the encoding
    # differ (see the module's docstring).
    from fastapi._compat import get_model_name_map
    from fastapi.openapi.models import OpenAPI

    info = {
        "title": title,
        "version": version,
        **_given(
            summary=summary,
            description=description,
            termsOfService=terms_of_service,
            contact=contact,
            license=license_info,
        ),
    }
    output: dict[str, Any] = {"openapi": openapi_version, "info": info, **_given(servers=servers)}
    all_fields = openapi_utils.get_fields_from_routes(list(routes) + list(webhooks or []))
    model_name_map = get_model_name_map(_flat_models(all_fields))
    paths = _Paths(
        model_name_map=model_name_map,
        separate_input_output_schemas=separate_input_output_schemas,
        definitions=_definitions(all_fields, model_name_map, separate_input_output_schemas),
    )
    route_paths = paths.of(routes)
    webhook_paths = paths.of(webhooks or [])
    if paths.definitions:
        definitions = paths.definitions
        paths.components["schemas"] = {k: definitions[k] for k in sorted(definitions)}
    output.update(_given(components=paths.components))
    output["paths"] = route_paths
    output.update(_given(webhooks=webhook_paths, tags=tags, externalDocs=external_docs))
    dumped = OpenAPI(**output).model_dump(mode="json", by_alias=True, exclude_none=True)
    return _without_none(dumped)  # type: ignore[no-any-return]


def _given(**values: Any) -> dict[str, Any]:
    """The values that ``get_openapi`` writes: those that are truthy, in this order."""
    return {key: value for key, value in values.items() if value}


class _Paths:
    """``get_openapi``'s loop over routes (then webhooks): FastAPI's ``get_openapi_path`` per
    route, whose security schemes and definitions it collects."""

    def __init__(
        self,
        *,
        model_name_map: dict[Any, str],
        separate_input_output_schemas: bool,
        definitions: tuple[Any, Any],
    ) -> None:
        self.model_name_map = model_name_map
        self.separate_input_output_schemas = separate_input_output_schemas
        self.field_mapping: dict[Any, Any] = definitions[0]
        self.definitions: dict[str, Any] = definitions[1]
        self.components: dict[str, dict[str, Any]] = {}
        self.operation_ids: set[str] = set()

    def of(self, routes: Sequence[Any]) -> dict[str, dict[str, Any]]:
        from fastapi import routing

        paths: dict[str, dict[str, Any]] = {}
        for route_context in routing.iter_route_contexts(routes):
            api_route = openapi_utils._get_api_route_for_openapi(route_context)
            if api_route is None:
                continue
            result = openapi_utils.get_openapi_path(
                route=api_route,
                operation_ids=self.operation_ids,
                model_name_map=self.model_name_map,
                field_mapping=self.field_mapping,
                separate_input_output_schemas=self.separate_input_output_schemas,
            )
            if result:
                path, security_schemes, path_definitions = result
                if path:
                    paths.setdefault(api_route.path_format, {}).update(path)
                if security_schemes:
                    self.components.setdefault("securitySchemes", {}).update(security_schemes)
                if path_definitions:
                    self.definitions.update(path_definitions)
        return paths


def _without_none(node: Any) -> Any:
    """``jsonable_encoder(node, exclude_none=True)`` for JSON data: every dict without its
    ``None`` values and its keys starting with ``_sa`` (FastAPI's SQLAlchemy guard)."""
    if isinstance(node, dict):
        return {
            key: _without_none(value)
            for key, value in node.items()
            if value is not None and not (isinstance(key, str) and key.startswith("_sa"))
        }
    if isinstance(node, list):
        return [_without_none(value) for value in node]
    return node


# --- the models a document needs: FastAPI's walk, minus a ModelField per field ------------------


def _flat_models(fields: Sequence[Any]) -> ModelSet:
    known: ModelSet = set()
    for field in fields:
        _from_annotation_of_field(field.field_info.annotation, known)
    return known


def _from_annotation_of_field(annotation: Any, known: ModelSet) -> None:
    from fastapi._compat import lenient_issubclass

    if lenient_issubclass(annotation, BaseModel):
        if annotation in known:
            return
        known.add(annotation)
        _from_model(annotation, known)
    elif lenient_issubclass(annotation, Enum):
        known.add(annotation)
    else:
        _from_annotation(annotation, known)


def _from_model(model: type[BaseModel], known: ModelSet) -> None:
    for field_info in model.model_fields.values():
        _from_annotation_of_field(field_info.annotation, known)


def _from_annotation(annotation: Any, known: ModelSet) -> None:
    from fastapi._compat import lenient_issubclass

    if get_origin(annotation) is None:
        return
    for arg in get_args(annotation):
        if lenient_issubclass(arg, (BaseModel, Enum)):
            if arg not in known:
                known.add(cast(type[BaseModel] | type[Enum], arg))
                if lenient_issubclass(arg, BaseModel):
                    _from_model(arg, known)
        else:
            _from_annotation(arg, known)


# --- the definitions: FastAPI's inputs to pydantic ---------------------------------------------


def _definitions(
    fields: Sequence[Any], model_name_map: dict[Any, str], separate_input_output_schemas: bool
) -> tuple[Any, Any]:
    from fastapi._compat import v2
    from fastapi.openapi.constants import REF_TEMPLATE

    if not separate_input_output_schemas:  # FastAPI's own way (rare; computed fields matter)
        return v2.get_definitions(
            fields=fields, model_name_map=model_name_map, separate_input_output_schemas=False
        )
    schema_generator = v2.GenerateJsonSchema(ref_template=REF_TEMPLATE)
    input_types = {field.field_info.annotation for field in fields}
    inputs: list[tuple[Any, Any, Any]] = [
        (field, field.mode, field._type_adapter.core_schema) for field in fields
    ]
    for mode in ("validation", "serialization"):
        for model in _flat_models([field for field in fields if field.mode == mode]):
            if model not in input_types:
                flat_field = v2.ModelField(
                    field_info=v2.FieldInfo(annotation=model), name=model.__name__, mode=mode
                )
                inputs.append((flat_field, mode, flat_field._type_adapter.core_schema))
    field_mapping, definitions = schema_generator.generate_definitions(inputs=inputs)
    for item_def in definitions.values():
        if "description" in item_def:
            item_def["description"] = item_def["description"].split("\f")[0]
    return field_mapping, definitions


if __name__ == "__main__":
    print(fastapi_digest())
