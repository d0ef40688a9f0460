"""diff_documents: one focused pair of documents per rule, asserting rule id and level."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from djgateway import openapi
from djgateway.openapi import (
    Change,
    Level,
    RefResolutionError,
    default_level,
    diff_documents,
    has_breaking,
    resolve_refs,
    summarize,
)

ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO
Doc = dict[str, Any]


# -- document builders ------------------------------------------------------------------------


def _document(paths: dict[str, Any], **extra: Any) -> Doc:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def _api(operation: dict[str, Any], path: str = "/items", method: str = "get", **extra: Any) -> Doc:
    return _document({path: {method: operation}}, **extra)


def _ok(schema: Any = None, status: str = "200", media: str = "application/json") -> Doc:
    response: Doc = {"description": "ok"}
    if schema is not None:
        response["content"] = {media: {"schema": schema}}
    return {status: response}


def _operation(
    parameters: list[Doc] | None = None, responses: Doc | None = None, **extra: Any
) -> Doc:
    return {"parameters": parameters or [], "responses": responses or _ok(), **extra}


def _query(name: str, schema: Doc, required: bool = False, **extra: Any) -> Doc:
    return {"name": name, "in": "query", "required": required, "schema": schema, **extra}


def _with_query(parameter: Doc) -> Doc:
    return _api(_operation([parameter]))


def _with_request(schema: Doc, required: bool = True) -> Doc:
    body = {"required": required, "content": {"application/json": {"schema": schema}}}
    return _api(_operation(requestBody=body), method="post")


def _with_response(schema: Doc) -> Doc:
    return _api(_operation(responses=_ok(schema)))


def _obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> Doc:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


def _rules(base: Doc, revision: Doc) -> list[tuple[str, Level]]:
    return [(change.rule, change.level) for change in diff_documents(base, revision)]


def _single(base: Doc, revision: Doc) -> Change:
    changes = diff_documents(base, revision)
    assert len(changes) == 1, changes
    return changes[0]


STRING = {"type": "string"}
INTEGER = {"type": "integer"}


# -- paths and operations ---------------------------------------------------------------------


def test_identical_documents_have_no_changes() -> None:
    document = _with_request(_obj({"name": STRING}, ("name",)))

    assert diff_documents(document, copy.deepcopy(document)) == []


def test_removed_path_is_breaking() -> None:
    base = _document({"/items": {"get": _operation()}, "/users": {"get": _operation()}})
    revision = _document({"/items": {"get": _operation()}})

    change = _single(base, revision)

    assert (change.rule, change.level) == ("api-path-removed-without-deprecation", ERR)
    assert (change.path, change.method, change.direction) == ("/users", "get", "none")


def test_removed_deprecated_path_is_info() -> None:
    base = _document({"/a": {"get": _operation()}, "/b": {"get": _operation(deprecated=True)}})

    assert _rules(base, _document({"/a": {"get": _operation()}})) == [
        ("api-path-removed-with-deprecation", INFO)
    ]


def test_removed_operation_is_breaking() -> None:
    base = _document({"/items": {"get": _operation(), "delete": _operation()}})
    revision = _document({"/items": {"get": _operation()}})

    change = _single(base, revision)

    assert (change.rule, change.level, change.method) == (
        "api-removed-without-deprecation",
        ERR,
        "delete",
    )


def test_added_path_is_info() -> None:
    base = _document({"/items": {"get": _operation()}})
    revision = _document({"/items": {"get": _operation()}, "/users": {"post": _operation()}})

    assert _rules(base, revision) == [("endpoint-added", INFO)]


def test_renamed_path_parameter_is_not_a_change() -> None:
    path_id = {"name": "id", "in": "path", "required": True, "schema": INTEGER}
    path_item_id = {**path_id, "name": "item_id"}
    base = _api(_operation([path_id]), path="/items/{id}")
    revision = _api(_operation([path_item_id]), path="/items/{item_id}")

    assert diff_documents(base, revision) == []


def test_operation_becoming_deprecated_is_info() -> None:
    assert _rules(_api(_operation()), _api(_operation(deprecated=True))) == [
        ("endpoint-deprecated", INFO)
    ]


# -- responses --------------------------------------------------------------------------------


def test_removed_success_status_is_breaking() -> None:
    base = _api(_operation(responses={**_ok(), **_ok(status="201")}))

    change = _single(base, _api(_operation()))

    assert (change.rule, change.level, change.location) == (
        "response-success-status-removed",
        ERR,
        "response 201",
    )


def test_removed_error_status_is_not_breaking() -> None:
    base = _api(_operation(responses={**_ok(), "404": {"description": "missing"}}))

    assert _rules(base, _api(_operation())) == [("response-non-success-status-removed", INFO)]


def test_added_success_status_is_info() -> None:
    revision = _api(_operation(responses={**_ok(), **_ok(status="202")}))

    assert _rules(_api(_operation()), revision) == [("response-success-status-added", INFO)]


def test_removed_response_media_type_is_breaking() -> None:
    response = _ok(STRING)
    response["200"]["content"]["application/xml"] = {"schema": STRING}

    change = _single(_api(_operation(responses=response)), _with_response(STRING))

    assert (change.rule, change.level) == ("response-media-type-removed", ERR)
    assert change.location == "response 200 application/xml"


def test_removed_media_type_of_error_response_is_info() -> None:
    base = _api(_operation(responses={**_ok(), **_ok(STRING, status="400")}))
    revision = _api(_operation(responses={**_ok(), **_ok(status="400")}))

    assert _rules(base, revision) == [("response-media-type-removed", INFO)]


def test_removed_required_response_header_is_breaking() -> None:
    base_responses = _ok()
    base_responses["200"]["headers"] = {"X-Rate-Limit": {"required": True, "schema": INTEGER}}
    revision_responses = _ok()
    revision_responses["200"]["headers"] = {}

    base = _api(_operation(responses=base_responses))
    revision = _api(_operation(responses=revision_responses))

    assert _rules(base, revision) == [("required-response-header-removed", ERR)]


# -- request parameters -----------------------------------------------------------------------


def test_new_required_query_parameter_is_breaking() -> None:
    change = _single(_api(_operation()), _with_query(_query("limit", INTEGER, required=True)))

    assert (change.rule, change.level) == ("new-required-request-parameter", ERR)
    assert change.location == "parameter query limit"


def test_new_optional_query_parameter_is_info() -> None:
    revision = _with_query(_query("limit", INTEGER))

    assert _rules(_api(_operation()), revision) == [("new-optional-request-parameter", INFO)]


def test_parameter_becoming_required_is_breaking() -> None:
    base, revision = _query("q", STRING), _query("q", STRING, required=True)

    assert _rules(_with_query(base), _with_query(revision)) == [
        ("request-parameter-became-required", ERR)
    ]


def test_removed_parameter_is_a_warning() -> None:
    assert _rules(_with_query(_query("q", STRING)), _api(_operation())) == [
        ("request-parameter-removed", WARN)
    ]


def test_parameter_type_change_is_breaking() -> None:
    base, revision = _query("limit", INTEGER), _query("limit", STRING)

    assert _rules(_with_query(base), _with_query(revision)) == [
        ("request-parameter-type-changed", ERR)
    ]


def test_parameter_format_change_is_breaking() -> None:
    base = _query("at", {"type": "string", "format": "date-time"})
    revision = _query("at", {"type": "string", "format": "uuid"})

    assert _rules(_with_query(base), _with_query(revision)) == [
        ("request-parameter-type-changed", ERR)
    ]


def test_parameter_type_widened_from_integer_to_number_is_info() -> None:
    base, revision = _query("limit", INTEGER), _query("limit", {"type": "number"})

    assert _rules(_with_query(base), _with_query(revision)) == [
        ("request-parameter-type-generalized", INFO)
    ]


def test_removed_enum_value_in_request_parameter_is_breaking() -> None:
    base = _query("status", {"type": "string", "enum": ["open", "closed"]})
    revision = _query("status", {"type": "string", "enum": ["open"]})

    change = _single(_with_query(base), _with_query(revision))

    assert (change.rule, change.level) == ("request-parameter-enum-value-removed", ERR)
    assert '"closed"' in change.message


def test_added_enum_value_in_request_parameter_is_info() -> None:
    base = _query("status", {"type": "string", "enum": ["open"]})
    revision = _query("status", {"type": "string", "enum": ["open", "closed"]})

    assert _rules(_with_query(base), _with_query(revision)) == [
        ("request-parameter-enum-value-added", INFO)
    ]


def test_path_level_parameters_apply_to_every_operation() -> None:
    header = {"name": "X-Tenant", "in": "header", "required": True, "schema": STRING}
    operations = {"get": _operation(), "delete": _operation()}
    base = _document({"/items": dict(operations)})
    revision = _document({"/items": {**operations, "parameters": [header]}})

    changes = diff_documents(base, revision)

    assert [(c.method, c.rule, c.level) for c in changes] == [
        ("delete", "new-required-request-default-parameter-to-existing-path", ERR),
        ("get", "new-required-request-default-parameter-to-existing-path", ERR),
    ]


def test_header_parameter_names_match_case_insensitively() -> None:
    base = {"name": "X-Tenant", "in": "header", "schema": STRING}
    revision = {"name": "x-tenant", "in": "header", "schema": STRING}

    assert diff_documents(_with_query(base), _with_query(revision)) == []


def test_parameters_behind_refs_are_compared() -> None:
    def api(limit: Doc) -> Doc:
        ref = {"$ref": "#/components/parameters/Limit"}
        return _api(_operation([ref]), components={"parameters": {"Limit": limit}})

    base, revision = api(_query("limit", INTEGER)), api(_query("limit", INTEGER, required=True))

    assert _rules(base, revision) == [("request-parameter-became-required", ERR)]


# -- request body -----------------------------------------------------------------------------


def test_new_required_request_property_is_breaking() -> None:
    base = _with_request(_obj({"name": STRING}, ("name",)))
    revision = _with_request(_obj({"name": STRING, "sku": STRING}, ("name", "sku")))

    change = _single(base, revision)

    assert (change.rule, change.level, change.direction) == (
        "new-required-request-property",
        ERR,
        "request",
    )
    assert change.location == "request body /properties/sku"


def test_new_required_request_property_with_default_is_still_breaking() -> None:
    base = _with_request(_obj({}))
    revision = _with_request(_obj({"qty": {"type": "integer", "default": 1}}, ("qty",)))

    assert _rules(base, revision) == [("new-required-request-property-with-default", ERR)]


def test_new_optional_request_property_is_info() -> None:
    base = _with_request(_obj({}))

    assert _rules(base, _with_request(_obj({"note": STRING}))) == [
        ("new-optional-request-property", INFO)
    ]


def test_request_property_becoming_required_is_breaking() -> None:
    base = _with_request(_obj({"name": STRING}))
    revision = _with_request(_obj({"name": STRING}, ("name",)))

    assert _rules(base, revision) == [("request-property-became-required", ERR)]


def test_removed_request_property_is_a_warning() -> None:
    base = _with_request(_obj({"name": STRING, "note": STRING}))

    assert _rules(base, _with_request(_obj({"name": STRING}))) == [
        ("request-property-removed", WARN)
    ]


def test_request_property_type_change_is_breaking() -> None:
    base = _with_request(_obj({"price": INTEGER}))
    revision = _with_request(_obj({"price": STRING}))

    assert _rules(base, revision) == [("request-property-type-changed", ERR)]


def test_request_property_format_change_is_breaking() -> None:
    base = _with_request(_obj({"id": {"type": "string", "format": "uuid"}}))
    revision = _with_request(_obj({"id": {"type": "string", "format": "email"}}))

    assert _rules(base, revision) == [("request-property-type-changed", ERR)]


def test_removed_enum_value_in_request_is_breaking() -> None:
    base = _with_request(_obj({"size": {"type": "string", "enum": ["s", "m", "l"]}}))
    revision = _with_request(_obj({"size": {"type": "string", "enum": ["s", "m"]}}))

    assert _rules(base, revision) == [("request-property-enum-value-removed", ERR)]


def test_request_property_restricted_to_an_enum_is_breaking() -> None:
    base = _with_request(_obj({"size": STRING}))
    revision = _with_request(_obj({"size": {"type": "string", "enum": ["s"]}}))

    assert _rules(base, revision) == [("request-property-became-enum", ERR)]


@pytest.mark.parametrize(
    ("keyword", "before", "after", "rule"),
    [
        ("maxLength", 50, 20, "request-property-max-length-decreased"),
        ("maximum", 100, 10, "request-property-max-decreased"),
        ("maxItems", 10, 5, "request-property-max-items-decreased"),
        ("minLength", 1, 3, "request-property-min-length-increased"),
        ("minimum", 0, 1, "request-property-min-increased"),
        ("minItems", 0, 1, "request-property-min-items-increased"),
    ],
)
def test_tightened_request_bound_is_breaking(
    keyword: str, before: int, after: int, rule: str
) -> None:
    base = _with_request(_obj({"field": {keyword: before}}))
    revision = _with_request(_obj({"field": {keyword: after}}))

    assert _rules(base, revision) == [(rule, ERR)]


def test_loosened_request_bound_is_info() -> None:
    base = _with_request(_obj({"name": {"type": "string", "maxLength": 20}}))
    revision = _with_request(_obj({"name": {"type": "string", "maxLength": 50}}))

    assert _rules(base, revision) == [("request-property-max-length-increased", INFO)]


def test_bound_set_on_request_property_is_a_warning() -> None:
    base = _with_request(_obj({"name": STRING}))
    revision = _with_request(_obj({"name": {"type": "string", "maxLength": 50}}))

    assert _rules(base, revision) == [("request-property-max-length-set", WARN)]


def test_pattern_added_to_request_property_is_breaking() -> None:
    base = _with_request(_obj({"code": STRING}))
    revision = _with_request(_obj({"code": {"type": "string", "pattern": "^[A-Z]+$"}}))

    assert _rules(base, revision) == [("request-property-pattern-added", ERR)]


def test_pattern_changed_on_request_property_is_a_warning() -> None:
    base = _with_request(_obj({"code": {"type": "string", "pattern": "^[A-Z]+$"}}))
    revision = _with_request(_obj({"code": {"type": "string", "pattern": "^[A-Z]{3}$"}}))

    assert _rules(base, revision) == [("request-property-pattern-changed", WARN)]


def test_closing_additional_properties_on_request_is_breaking() -> None:
    base = _with_request(_obj({"name": STRING}))
    revision = _with_request(_obj({"name": STRING}, additionalProperties=False))

    assert _rules(base, revision) == [("request-body-additional-properties-closed", ERR)]


def test_request_format_widened_from_int32_to_int64_is_info() -> None:
    base = _with_request(_obj({"n": {"type": "integer", "format": "int32"}}))
    revision = _with_request(_obj({"n": {"type": "integer", "format": "int64"}}))

    assert _rules(base, revision) == [("request-property-type-generalized", INFO)]


def test_request_location_names_the_media_type_when_there_are_several() -> None:
    def api(name: Doc) -> Doc:
        document = _with_request(_obj({"name": name}))
        content = document["paths"]["/items"]["post"]["requestBody"]["content"]
        content["multipart/form-data"] = {"schema": _obj({"name": name})}
        return document

    changes = diff_documents(api(STRING), api(INTEGER))

    assert [c.location for c in changes] == [
        "request body application/json /properties/name",
        "request body multipart/form-data /properties/name",
    ]


def test_request_body_becoming_required_is_breaking() -> None:
    base = _with_request(_obj({}), required=False)

    assert _rules(base, _with_request(_obj({}))) == [("request-body-became-required", ERR)]


def test_added_required_request_body_is_breaking() -> None:
    base = _api(_operation(), method="post")

    assert _rules(base, _with_request(_obj({}))) == [("request-body-added-required", ERR)]


def test_removed_request_media_type_is_breaking() -> None:
    base = _with_request(_obj({}))
    base["paths"]["/items"]["post"]["requestBody"]["content"]["text/csv"] = {"schema": STRING}

    assert _rules(base, _with_request(_obj({}))) == [("request-body-media-type-removed", ERR)]


def test_request_property_becoming_nullable_is_info() -> None:
    base = _with_request(_obj({"note": STRING}))
    revision = _with_request(_obj({"note": {"anyOf": [STRING, {"type": "null"}]}}))

    assert _rules(base, revision) == [("request-property-became-nullable", INFO)]


def test_request_property_becoming_not_nullable_is_breaking() -> None:
    base = _with_request(_obj({"note": {"type": ["string", "null"]}}))

    assert _rules(base, _with_request(_obj({"note": STRING}))) == [
        ("request-property-became-not-nullable", ERR)
    ]


def test_read_only_property_is_ignored_on_the_request_side() -> None:
    base = _with_request(_obj({"name": STRING}))
    read_only_id = {"type": "integer", "readOnly": True}
    revision = _with_request(_obj({"name": STRING, "id": read_only_id}, ("id",)))

    assert diff_documents(base, revision) == []


# -- response bodies --------------------------------------------------------------------------


def test_removed_required_response_property_is_breaking() -> None:
    base = _with_response(_obj({"id": INTEGER, "name": STRING}, ("id", "name")))
    revision = _with_response(_obj({"id": INTEGER}, ("id",)))

    change = _single(base, revision)

    assert (change.rule, change.level, change.direction) == (
        "response-required-property-removed",
        ERR,
        "response",
    )
    assert change.location == "response 200 application/json /properties/name"


def test_removed_optional_response_property_follows_oasdiff_level() -> None:
    base = _with_response(_obj({"id": INTEGER, "note": STRING}))

    assert _rules(base, _with_response(_obj({"id": INTEGER}))) == [
        ("response-optional-property-removed", WARN)
    ]


def test_new_response_property_is_info() -> None:
    base = _with_response(_obj({"id": INTEGER}, ("id",)))
    revision = _with_response(_obj({"id": INTEGER, "name": STRING}, ("id", "name")))

    assert _rules(base, revision) == [("response-required-property-added", INFO)]


def test_response_property_becoming_optional_is_breaking() -> None:
    base = _with_response(_obj({"id": INTEGER}, ("id",)))

    assert _rules(base, _with_response(_obj({"id": INTEGER}))) == [
        ("response-property-became-optional", ERR)
    ]


def test_response_property_becoming_nullable_via_pydantic_any_of_is_breaking() -> None:
    base = _with_response(_obj({"name": STRING}, ("name",)))
    optional_name = {"anyOf": [STRING, {"type": "null"}], "title": "Name"}
    revision = _with_response(_obj({"name": optional_name}, ("name",)))

    assert _rules(base, revision) == [("response-property-became-nullable", ERR)]


def test_response_property_type_change_is_breaking() -> None:
    base = _with_response(_obj({"price": INTEGER}))

    assert _rules(base, _with_response(_obj({"price": STRING}))) == [
        ("response-property-type-changed", ERR)
    ]


def test_response_property_format_change_is_breaking() -> None:
    base = _with_response(_obj({"at": {"type": "string", "format": "date"}}))
    revision = _with_response(_obj({"at": {"type": "string", "format": "date-time"}}))

    assert _rules(base, revision) == [("response-property-type-changed", ERR)]


def test_response_property_type_widened_is_breaking() -> None:
    base = _with_response(_obj({"price": INTEGER}))
    revision = _with_response(_obj({"price": {"type": "number"}}))

    assert _rules(base, revision) == [("response-property-type-generalized", ERR)]


def test_response_property_type_narrowed_is_info() -> None:
    base = _with_response(_obj({"price": {"type": "number"}}))

    assert _rules(base, _with_response(_obj({"price": INTEGER}))) == [
        ("response-property-type-specialized", INFO)
    ]


def test_added_enum_value_in_response_is_a_warning() -> None:
    base = _with_response(_obj({"state": {"type": "string", "enum": ["new"]}}))
    revision = _with_response(_obj({"state": {"type": "string", "enum": ["new", "done"]}}))

    assert _rules(base, revision) == [("response-property-enum-value-added", WARN)]


def test_removed_enum_value_in_response_is_info() -> None:
    base = _with_response(_obj({"state": {"type": "string", "enum": ["new", "done"]}}))
    revision = _with_response(_obj({"state": {"type": "string", "enum": ["new"]}}))

    assert _rules(base, revision) == [("response-property-enum-value-removed", INFO)]


def test_array_item_type_change_in_response_is_breaking() -> None:
    def page(id_schema: Doc) -> Doc:
        item = _obj({"id": id_schema}, ("id",))
        return _with_response(_obj({"items": {"type": "array", "items": item}}, ("items",)))

    change = _single(page(INTEGER), page(STRING))

    assert (change.rule, change.level) == ("response-property-type-changed", ERR)
    assert change.location == (
        "response 200 application/json /properties/items/items/properties/id"
    )


def test_array_of_scalars_item_type_change_in_response_is_breaking() -> None:
    base = _with_response(_obj({"tags": {"type": "array", "items": STRING}}))
    revision = _with_response(_obj({"tags": {"type": "array", "items": INTEGER}}))

    change = _single(base, revision)

    assert (change.rule, change.level) == ("response-property-type-changed", ERR)
    assert change.location.endswith("/properties/tags/items")


def test_response_max_length_increase_is_breaking() -> None:
    base = _with_response(_obj({"name": {"type": "string", "maxLength": 20}}))
    revision = _with_response(_obj({"name": {"type": "string", "maxLength": 50}}))

    assert _rules(base, revision) == [("response-property-max-length-increased", ERR)]


def test_write_only_property_removed_from_the_response_side_is_info() -> None:
    password = {"type": "string", "writeOnly": True}
    base = _with_response(_obj({"id": INTEGER, "password": password}, ("id", "password")))

    assert _rules(base, _with_response(_obj({"id": INTEGER}, ("id",)))) == [
        ("response-required-write-only-property-removed", INFO)
    ]


# -- nullability normalisation ----------------------------------------------------------------

NULLABLE_FORMS = {
    "pydantic-anyOf": {"anyOf": [STRING, {"type": "null"}]},
    "null-first-oneOf": {"oneOf": [{"type": "null"}, STRING]},
    "type-list": {"type": ["string", "null"]},
    "openapi-3.0": {"type": "string", "nullable": True},
    "enum-with-null": {"type": "string", "enum": ["a", None], "nullable": True},
}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("pydantic-anyOf", "type-list"),
        ("pydantic-anyOf", "openapi-3.0"),
        ("null-first-oneOf", "type-list"),
        ("openapi-3.0", "null-first-oneOf"),
    ],
)
def test_nullable_spellings_are_equivalent(before: str, after: str) -> None:
    base = _with_response(_obj({"note": NULLABLE_FORMS[before]}))
    revision = _with_response(_obj({"note": NULLABLE_FORMS[after]}))

    assert diff_documents(base, revision) == []


def test_null_in_enum_is_nullability_not_an_enum_value() -> None:
    base = _with_response(_obj({"kind": {"type": "string", "enum": ["a"]}}))
    revision = _with_response(_obj({"kind": NULLABLE_FORMS["enum-with-null"]}))

    assert _rules(base, revision) == [("response-property-became-nullable", ERR)]


def test_constraints_inside_a_pydantic_optional_are_compared() -> None:
    def optional_name(max_length: int) -> Doc:
        inner = {"type": "string", "maxLength": max_length}
        return _with_request(_obj({"name": {"anyOf": [inner, {"type": "null"}], "default": None}}))

    assert _rules(optional_name(50), optional_name(20)) == [
        ("request-property-max-length-decreased", ERR)
    ]


# -- $ref, allOf, anyOf/oneOf -----------------------------------------------------------------


def _with_components(document: Doc, schemas: dict[str, Any]) -> Doc:
    return {**document, "components": {"schemas": schemas}}


def test_changes_behind_refs_are_found_with_their_full_location() -> None:
    ref = {"$ref": "#/components/schemas/Item"}
    page = _with_response(_obj({"items": {"type": "array", "items": ref}}))
    base = _with_components(page, {"Item": _obj({"id": INTEGER}, ("id",))})
    revision = _with_components(page, {"Item": _obj({"id": INTEGER})})

    change = _single(base, revision)

    assert (change.rule, change.level) == ("response-property-became-optional", ERR)
    assert change.location == (
        "response 200 application/json /properties/items/items/properties/id"
    )


def test_recursive_schemas_do_not_recurse_forever() -> None:
    def tree(extra: dict[str, Any]) -> Doc:
        children = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
        node = _obj({"children": children, **extra})
        return _with_components(
            _with_response({"$ref": "#/components/schemas/Node"}), {"Node": node}
        )

    assert _rules(tree({}), tree({"label": STRING})) == [("response-optional-property-added", INFO)]


def test_moving_properties_into_all_of_is_not_a_change() -> None:
    flat = _obj({"id": INTEGER, "name": STRING}, ("id", "name"))
    split = {"allOf": [_obj({"id": INTEGER}, ("id",)), _obj({"name": STRING}, ("name",))]}

    assert diff_documents(_with_response(flat), _with_response(split)) == []


def test_property_added_through_all_of_is_detected() -> None:
    base = _with_request({"allOf": [_obj({"id": INTEGER})]})
    revision = _with_request({"allOf": [_obj({"id": INTEGER}), _obj({"sku": STRING}, ("sku",))]})

    assert sorted(_rules(base, revision)) == [
        ("new-required-request-property", ERR),
        ("request-body-all-of-added", ERR),
    ]


def test_any_of_branches_are_compared_pairwise() -> None:
    def pet(cat_sound: Doc) -> Doc:
        cat, dog = _obj({"meow": cat_sound}, ("meow",)), _obj({"bark": STRING}, ("bark",))
        return _with_response({"anyOf": [cat, dog]})

    change = _single(pet(STRING), pet(INTEGER))

    assert (change.rule, change.level) == ("response-property-type-changed", ERR)
    assert change.location == "response 200 application/json /anyOf/0/properties/meow"


def test_removed_one_of_branch_in_request_is_breaking() -> None:
    base = _with_request({"oneOf": [_obj({"a": STRING}), _obj({"b": STRING})]})
    revision = _with_request({"oneOf": [_obj({"a": STRING})]})

    assert _rules(base, revision) == [("request-body-one-of-removed", ERR)]


def test_wrapping_a_request_body_in_one_of_compares_the_closest_branch() -> None:
    original = _obj({"name": STRING}, ("name",))
    alternative = _obj({"id": INTEGER}, ("id",))
    revision = _with_request({"oneOf": [alternative, original]})

    changes = diff_documents(_with_request(original), revision)

    assert [(c.rule, c.level, c.location) for c in changes] == [
        ("request-body-one-of-added", INFO, "request body")
    ]
    assert changes[0].message.startswith("Branch 0 was added")


def test_description_changes_are_ignored() -> None:
    base = _with_response(_obj({"id": {**INTEGER, "description": "The id."}}))
    revision = _with_response(_obj({"id": {**INTEGER, "description": "Primary key."}}))

    assert diff_documents(base, revision) == []


# -- security ---------------------------------------------------------------------------------


def _secured(security: list[dict[str, list[str]]] | None) -> Doc:
    operation = _operation() if security is None else _operation(security=security)
    return _api(operation)


def test_added_scope_is_info_but_narrows_access() -> None:
    base = _secured([{"oauth": ["items:read"]}])
    revision = _secured([{"oauth": ["items:read", "items:admin"]}])

    changes = diff_documents(base, revision)

    assert [(c.rule, c.level, c.direction) for c in changes] == [
        ("api-security-narrowed", ERR, "none"),
        ("api-security-scope-added", INFO, "none"),
    ]


def test_removed_scope_is_info() -> None:
    base = _secured([{"oauth": ["items:read", "items:admin"]}])

    assert _rules(base, _secured([{"oauth": ["items:read"]}])) == [
        ("api-security-scope-removed", INFO)
    ]


def test_security_added_to_public_operation_removes_anonymous_access() -> None:
    assert _rules(_secured(None), _secured([{"bearer": []}])) == [
        ("api-security-added", INFO),
        ("api-security-anonymous-access-removed", ERR),
    ]


def test_anonymous_alternative_removed_makes_operation_authenticated() -> None:
    assert _rules(_secured([{}, {"bearer": []}]), _secured([{"bearer": []}])) == [
        ("api-security-anonymous-access-removed", ERR)
    ]


def test_security_alternative_added_to_protected_operation_is_info() -> None:
    base = _secured([{"bearer": []}])

    assert _rules(base, _secured([{"bearer": []}, {"apiKey": []}])) == [
        ("api-security-added", INFO)
    ]


def test_removed_security_alternative_is_info_but_narrows_access() -> None:
    base = _secured([{"bearer": []}, {"apiKey": []}])

    assert _rules(base, _secured([{"bearer": []}])) == [
        ("api-security-narrowed", ERR),
        ("api-security-removed", INFO),
    ]


def test_global_security_is_reported_once_for_operations_that_inherit_it() -> None:
    base = _api(_operation())
    revision = _api(_operation(), security=[{"bearer": []}])

    assert _rules(base, revision) == [
        ("api-global-security-added", INFO),
        ("api-global-security-anonymous-access-removed", ERR),
    ]


# -- ordering, purity, helpers ----------------------------------------------------------------


def test_changes_are_sorted_by_path_method_location_and_rule() -> None:
    base = _document(
        {"/b": {"get": _operation()}, "/a": {"post": _operation(), "get": _operation()}}
    )
    revision = _document({"/c": {"get": _operation()}})

    changes = diff_documents(base, revision)

    keys = [(c.path, c.method, c.location, c.rule) for c in changes]
    assert keys == sorted(keys)
    assert [c.path for c in changes] == ["/a", "/a", "/b", "/c"]


def test_diff_does_not_mutate_its_inputs() -> None:
    ref = {"$ref": "#/components/schemas/Item"}
    base = _with_components(_with_response(ref), {"Item": _obj({"id": INTEGER}, ("id",))})
    revision = _with_components(_with_response(ref), {"Item": _obj({"id": STRING})})
    snapshots = copy.deepcopy((base, revision))

    diff_documents(base, revision)

    assert (base, revision) == snapshots


def test_default_levels_are_used_unless_a_guard_lowers_or_raises_them() -> None:
    base = _with_request(_obj({"a": STRING, "b": {"enum": ["x", "y"]}}))
    revision = _with_request(_obj({"b": {"enum": ["x"]}, "c": STRING}, ("c",)))

    changes = diff_documents(base, revision)

    assert changes
    assert all(change.level is default_level(change.rule) for change in changes)


def test_messages_are_single_sentences() -> None:
    base = _with_response(_obj({"id": INTEGER, "name": STRING}, ("id", "name")))

    change = _single(base, _with_response(_obj({"id": INTEGER}, ("id",))))

    assert change.message == "The required response property name was removed."


def _change(level: Level) -> Change:
    return Change("rule", level, "none", "/a", "get", "", "Something changed.")


def test_summarize_counts_every_level() -> None:
    changes = [_change(ERR), _change(INFO), _change(INFO)]

    assert summarize(changes) == {"ERR": 1, "WARN": 0, "INFO": 2}


def test_warn_and_err_are_breaking_but_info_is_not() -> None:
    assert [_change(level).breaking for level in (ERR, WARN, INFO)] == [True, True, False]


@pytest.mark.parametrize(
    ("levels", "fail_on", "expected"),
    [
        ([INFO], "breaking", False),
        ([INFO, WARN], "breaking", True),
        ([INFO], "any", True),
        ([], "any", False),
        ([WARN], "ERR", False),
    ],
)
def test_has_breaking_honours_the_fail_on_threshold(
    levels: list[Level], fail_on: str, expected: bool
) -> None:
    assert has_breaking([_change(level) for level in levels], fail_on) is expected


def test_has_breaking_rejects_an_unknown_threshold() -> None:
    with pytest.raises(ValueError, match="fail_on"):
        has_breaking([], "sometimes")


def test_resolve_refs_expands_local_references() -> None:
    document = {"a": {"$ref": "#/components/schemas/A"}, "components": {"schemas": {"A": INTEGER}}}

    assert resolve_refs(document)["a"] == INTEGER


def test_resolve_refs_leaves_a_cycle_as_an_opaque_reference() -> None:
    node = {"properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    document = {
        "root": {"$ref": "#/components/schemas/Node"},
        "components": {"schemas": {"Node": node}},
    }

    resolved = resolve_refs(document)

    assert resolved["root"]["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


def test_resolve_refs_reports_a_dangling_reference() -> None:
    with pytest.raises(RefResolutionError, match="Missing"):
        resolve_refs({"a": {"$ref": "#/components/schemas/Missing"}})


def test_public_names_are_sorted() -> None:
    assert openapi.__all__ == sorted(openapi.__all__)
