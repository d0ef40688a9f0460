"""Generate the systematic part of the check-openapi corpus into `generated/`.

Every schema rule family (a before/after pair of schemas and the rule suffixes it must raise in
each direction) is placed at every site a schema can sit at (request body root, request
property, query/path/header parameter, response body root, response property); the rules that
belong to one site only (bodies, parameters, properties, statuses, response headers) have their
own cases. The expected ids and levels are oasdiff's (`oasdiff-rules.tsv`), or follow
djgateway's law for its own ids (`djgateway/openapi/rules.py`); they are written down here,
never read back from the differ.

Run from the repository root: `python tests/openapi_corpus/generate.py` (idempotent: it
rewrites every generated case and deletes generated cases it no longer produces).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "generated"
Schema = dict[str, Any]
Pair = list[list[str]]
Case = tuple[str, dict[str, Any]]  # file name (without .json) and content
ERR, WARN, INFO = "ERR", "WARN", "INFO"

# -- the law: levels per suffix, (request, response) --------------------------------------------

# Narrowing what a request accepts breaks clients that send; widening what a response may
# contain breaks clients that read it. Setting a new bound on a request is a WARN (oasdiff).
_UPPER = {"maximum": "max", "exclusiveMaximum": "exclusive-max", "maxLength": "max-length"}
_UPPER |= {"maxItems": "max-items"}
_LOWER = {"minimum": "min", "exclusiveMinimum": "exclusive-min", "minLength": "min-length"}
_LOWER |= {"minItems": "min-items"}


def bound_level(direction: str, narrows: bool, action: str) -> str:
    if direction == "request":
        return (WARN if action == "set" else ERR) if narrows else INFO
    return INFO if narrows else ERR


SUFFIX_LEVELS: dict[str, tuple[str | None, str | None]] = {
    "type-changed": (ERR, ERR),
    "type-generalized": (INFO, ERR),
    "type-specialized": (None, INFO),
    "became-nullable": (INFO, ERR),
    "became-not-nullable": (ERR, INFO),
    "list-of-types-widened": (INFO, ERR),
    "list-of-types-narrowed": (ERR, INFO),
    "enum-value-added": (INFO, WARN),
    "enum-value-removed": (ERR, INFO),
    "became-enum": (ERR, INFO),
    "enum-removed": (INFO, ERR),
    "pattern-added": (ERR, INFO),
    "pattern-changed": (WARN, INFO),
    "pattern-removed": (INFO, INFO),
    "pattern-generalized": (INFO, None),
    "additional-properties-closed": (ERR, INFO),
    "additional-properties-opened": (INFO, INFO),
    "any-of-added": (INFO, INFO),
    "any-of-removed": (ERR, INFO),
    "one-of-added": (INFO, ERR),
    "one-of-removed": (ERR, INFO),
    "all-of-added": (ERR, INFO),
    "all-of-removed": (WARN, INFO),
    "all-of-added-annotation-only": (INFO, INFO),
    "all-of-removed-annotation-only": (INFO, INFO),
    "default-value-added": (INFO, INFO),
    "default-value-removed": (INFO, INFO),
    "default-value-changed": (INFO, INFO),
    "discriminator-added": (INFO, INFO),
    "discriminator-removed": (INFO, INFO),
    "discriminator-property-name-changed": (INFO, INFO),
    "discriminator-mapping-added": (INFO, INFO),
    "discriminator-mapping-deleted": (INFO, INFO),
    "discriminator-mapping-changed": (INFO, INFO),
    "x-extensible-enum-value-removed": (ERR, None),
    "prefix-items-added": (INFO, ERR),
    "prefix-items-removed": (ERR, INFO),
    "contains-added": (ERR, INFO),
    "contains-removed": (INFO, ERR),
    "min-contains-increased": (ERR, INFO),
    "min-contains-decreased": (INFO, ERR),
    "max-contains-increased": (INFO, ERR),
    "max-contains-decreased": (ERR, INFO),
    "dependent-required-added": (ERR, INFO),
    "dependent-required-removed": (INFO, ERR),
    "dependent-required-changed": (ERR, ERR),
    "dependent-schema-added": (ERR, INFO),
    "dependent-schema-removed": (INFO, ERR),
    "pattern-property-added": (ERR, INFO),
    "pattern-property-removed": (INFO, ERR),
    "property-names-added": (ERR, INFO),
    "property-names-removed": (INFO, ERR),
    "unevaluated-items-added": (ERR, INFO),
    "unevaluated-items-removed": (INFO, ERR),
    "unevaluated-properties-added": (ERR, INFO),
    "unevaluated-properties-removed": (INFO, ERR),
    "content-schema-added": (ERR, INFO),
    "content-schema-removed": (INFO, ERR),
    "content-media-type-changed": (ERR, ERR),
    "content-encoding-changed": (ERR, ERR),
    "if-added": (ERR, INFO),
    "if-removed": (INFO, ERR),
    "then-added": (ERR, INFO),
    "then-removed": (INFO, ERR),
    "else-added": (ERR, INFO),
    "else-removed": (INFO, ERR),
    "if-changed": (ERR, ERR),
}
for _kind, _bounds in (("upper", _UPPER), ("lower", _LOWER)):
    for _name in _bounds.values():
        for _action in ("increased", "decreased", "set", "unset"):
            _narrowing = ("decreased", "set") if _kind == "upper" else ("increased", "set")
            _narrows = _action in _narrowing
            SUFFIX_LEVELS[f"{_name}-{_action}"] = (
                bound_level("request", _narrows, _action),
                bound_level("response", _narrows, _action),
            )


# -- schema families ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """A schema change: `forward` suffixes from `old` to `new`, `backward` from `new` to `old`."""

    name: str
    old: Schema
    new: Schema
    forward: tuple[str, ...]
    backward: tuple[str, ...]
    # Direction-specific suffixes where the request and response sides differ.
    response_forward: tuple[str, ...] | None = None
    response_backward: tuple[str, ...] | None = None
    parameters: bool = True  # whether the family applies to parameters


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
OBJECT: Schema = {"type": "object"}
ARRAY: Schema = {"type": "array", "items": {"type": "string"}}
_BOUND_BASE = {
    "maxLength": STRING,
    "minLength": STRING,
    "maximum": INTEGER,
    "minimum": INTEGER,
    "exclusiveMaximum": INTEGER,
    "exclusiveMinimum": INTEGER,
    "maxItems": ARRAY,
    "minItems": ARRAY,
}
_CONTAINS: Schema = {**ARRAY, "contains": {"type": "string", "minLength": 1}}
_IF: Schema = {"properties": {"kind": {"enum": ["a"]}}}


def _families() -> Iterator[Family]:
    for keyword, name in (_UPPER | _LOWER).items():
        base = _BOUND_BASE[keyword]
        yield Family(
            f"{name}-increased",
            {**base, keyword: 10},
            {**base, keyword: 20},
            (f"{name}-increased",),
            (f"{name}-decreased",),
        )
        yield Family(
            f"{name}-set", base, {**base, keyword: 10}, (f"{name}-set",), (f"{name}-unset",)
        )
    yield Family("type-changed", STRING, {"type": "boolean"}, ("type-changed",), ("type-changed",))
    yield Family(
        "type-generalized",
        INTEGER,
        {"type": "number"},
        ("type-generalized",),
        ("type-changed",),
        response_backward=("type-specialized",),
    )
    yield Family(
        "became-nullable",
        STRING,
        {"type": ["string", "null"]},
        ("became-nullable",),
        ("became-not-nullable",),
    )
    yield Family(
        "list-of-types-widened",
        {"type": ["string", "integer"]},
        {"type": ["string", "integer", "boolean"]},
        ("list-of-types-widened",),
        ("list-of-types-narrowed",),
    )
    yield Family(
        "became-enum", STRING, {**STRING, "enum": ["a", "b"]}, ("became-enum",), ("enum-removed",)
    )
    yield Family(
        "enum-value-added",
        {**STRING, "enum": ["a"]},
        {**STRING, "enum": ["a", "b"]},
        ("enum-value-added",),
        ("enum-value-removed",),
    )
    yield Family(
        "pattern-added",
        STRING,
        {**STRING, "pattern": "^[a-z]+$"},
        ("pattern-added",),
        ("pattern-removed",),
    )
    yield Family(
        "pattern-changed",
        {**STRING, "pattern": "^[a-z]+$"},
        {**STRING, "pattern": "^[0-9]+$"},
        ("pattern-changed",),
        ("pattern-changed",),
    )
    yield Family(
        "pattern-generalized",
        {**STRING, "pattern": "^[a-z]+$"},
        {**STRING, "pattern": "^[a-z]+$|^[0-9]+$"},
        ("pattern-generalized",),
        ("pattern-changed",),
        response_forward=("pattern-changed",),
    )
    yield Family(
        "additional-properties-closed",
        OBJECT,
        {**OBJECT, "additionalProperties": False},
        ("additional-properties-closed",),
        ("additional-properties-opened",),
    )
    for keyword, name in (("anyOf", "any-of"), ("oneOf", "one-of")):
        yield Family(
            f"{name}-added",
            {keyword: [STRING, INTEGER]},
            {keyword: [STRING, INTEGER, {"type": "boolean"}]},
            (f"{name}-added",),
            (f"{name}-removed",),
        )
    yield Family(
        "all-of-added",
        {"allOf": [OBJECT]},
        {"allOf": [OBJECT, {"minProperties": 1}]},
        ("all-of-added",),
        ("all-of-removed",),
    )
    yield Family(
        "all-of-added-annotation-only",
        {"allOf": [OBJECT]},
        {"allOf": [OBJECT, {"description": "an object"}]},
        ("all-of-added-annotation-only",),
        ("all-of-removed-annotation-only",),
    )
    yield Family(
        "default-value-added",
        STRING,
        {**STRING, "default": "a"},
        ("default-value-added",),
        ("default-value-removed",),
        parameters=False,
    )
    yield Family(
        "default-value-changed",
        {**STRING, "default": "a"},
        {**STRING, "default": "b"},
        ("default-value-changed",),
        ("default-value-changed",),
        parameters=False,
    )
    yield from _discriminator_families()
    yield Family(
        "x-extensible-enum-value-removed",
        {**STRING, "x-extensible-enum": ["a", "b"]},
        {**STRING, "x-extensible-enum": ["a"]},
        ("x-extensible-enum-value-removed",),
        (),
        response_forward=(),
    )
    yield from _keyword_families()


def _discriminator_families() -> Iterator[Family]:
    pet = {"propertyName": "kind"}
    dog, cat = {"dog": "#/components/schemas/Dog"}, {"cat": "#/components/schemas/Cat"}
    yield Family(
        "discriminator-added",
        OBJECT,
        {**OBJECT, "discriminator": pet},
        ("discriminator-added",),
        ("discriminator-removed",),
    )
    yield Family(
        "discriminator-property-name-changed",
        {**OBJECT, "discriminator": pet},
        {**OBJECT, "discriminator": {"propertyName": "type"}},
        ("discriminator-property-name-changed",),
        ("discriminator-property-name-changed",),
    )
    yield Family(
        "discriminator-mapping-added",
        {**OBJECT, "discriminator": {**pet, "mapping": dog}},
        {**OBJECT, "discriminator": {**pet, "mapping": dog | cat}},
        ("discriminator-mapping-added",),
        ("discriminator-mapping-deleted",),
    )
    yield Family(
        "discriminator-mapping-changed",
        {**OBJECT, "discriminator": {**pet, "mapping": dog}},
        {**OBJECT, "discriminator": {**pet, "mapping": {"dog": "#/components/schemas/Hound"}}},
        ("discriminator-mapping-changed",),
        ("discriminator-mapping-changed",),
    )


def _keyword_families() -> Iterator[Family]:
    yield Family(
        "prefix-items-added",
        {"type": "array", "prefixItems": [STRING]},
        {"type": "array", "prefixItems": [STRING, INTEGER]},
        ("prefix-items-added",),
        ("prefix-items-removed",),
    )
    yield Family("contains-added", ARRAY, _CONTAINS, ("contains-added",), ("contains-removed",))
    yield Family(
        "min-contains-increased",
        _CONTAINS,
        {**_CONTAINS, "minContains": 2},
        ("min-contains-increased",),
        ("min-contains-decreased",),
    )
    yield Family(
        "max-contains-increased",
        {**_CONTAINS, "maxContains": 5},
        {**_CONTAINS, "maxContains": 10},
        ("max-contains-increased",),
        ("max-contains-decreased",),
    )
    yield Family(
        "dependent-required-added",
        OBJECT,
        {**OBJECT, "dependentRequired": {"a": ["b"]}},
        ("dependent-required-added",),
        ("dependent-required-removed",),
    )
    yield Family(
        "dependent-required-changed",
        {**OBJECT, "dependentRequired": {"a": ["b"]}},
        {**OBJECT, "dependentRequired": {"a": ["c"]}},
        ("dependent-required-changed",),
        ("dependent-required-changed",),
    )
    for keyword, name, value in (
        ("dependentSchemas", "dependent-schema", {"a": {"required": ["b"]}}),
        ("patternProperties", "pattern-property", {"^x-": STRING}),
    ):
        yield Family(
            f"{name}-added",
            OBJECT,
            {**OBJECT, keyword: value},
            (f"{name}-added",),
            (f"{name}-removed",),
        )
    yield Family(
        "property-names-added",
        OBJECT,
        {**OBJECT, "propertyNames": {"maxLength": 5}},
        ("property-names-added",),
        ("property-names-removed",),
    )
    for keyword, name, base in (
        ("unevaluatedItems", "unevaluated-items", {"type": "array"}),
        ("unevaluatedProperties", "unevaluated-properties", OBJECT),
    ):
        yield Family(
            f"{name}-added",
            base,
            {**base, keyword: False},
            (f"{name}-added",),
            (f"{name}-removed",),
        )
    json_string = {**STRING, "contentMediaType": "application/json"}
    yield Family(
        "content-schema-added",
        json_string,
        {**json_string, "contentSchema": OBJECT},
        ("content-schema-added",),
        ("content-schema-removed",),
    )
    yield Family(
        "content-media-type-changed",
        json_string,
        {**STRING, "contentMediaType": "application/xml"},
        ("content-media-type-changed",),
        ("content-media-type-changed",),
    )
    yield Family(
        "content-encoding-changed",
        {**STRING, "contentEncoding": "base64"},
        {**STRING, "contentEncoding": "base32"},
        ("content-encoding-changed",),
        ("content-encoding-changed",),
    )
    for keyword in ("if", "then", "else"):
        yield Family(
            f"{keyword}-added",
            OBJECT,
            {**OBJECT, keyword: _IF},
            (f"{keyword}-added",),
            (f"{keyword}-removed",),
        )
    yield Family(
        "if-changed",
        {**OBJECT, "if": _IF, "then": {"required": ["a"]}},
        {**OBJECT, "if": {"properties": {"kind": {"enum": ["b"]}}}, "then": {"required": ["a"]}},
        ("if-changed",),
        ("if-changed",),
    )


# -- sites ----------------------------------------------------------------------------------------


def document(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    info = {"title": "corpus", "version": "1"}
    return {"openapi": "3.1.0", "info": info, "paths": {path: {method: operation}}}


def json_content(schema: Schema | None) -> dict[str, Any]:
    return {"application/json": {} if schema is None else {"schema": schema}}


def request_body_doc(schema: Schema) -> dict[str, Any]:
    body = {"required": True, "content": json_content(schema)}
    created = {"201": {"description": "created"}}
    return document("/items", "post", {"requestBody": body, "responses": created})


def response_body_doc(schema: Schema) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": json_content(schema)}}
    return document("/items", "get", {"responses": ok})


def as_property(schema: Schema) -> Schema:
    return {"type": "object", "properties": {"value": schema}}


_PARAMETER_PATHS = {"query": "/items", "path": "/items/{value}", "header": "/items"}


def parameter_doc(location: str, schema: Schema, **extra: Any) -> dict[str, Any]:
    name = "X-Value" if location == "header" else "value"
    parameter = {"name": name, "in": location, "schema": schema, **extra}
    if location == "path":
        parameter["required"] = True
    ok = {"200": {"description": "ok"}}
    return document(_PARAMETER_PATHS[location], "get", {"parameters": [parameter], "responses": ok})


def _request_property(schema: Schema) -> dict[str, Any]:
    return request_body_doc(as_property(schema))


def _response_property(schema: Schema) -> dict[str, Any]:
    return response_body_doc(as_property(schema))


def _query_parameter(schema: Schema) -> dict[str, Any]:
    return parameter_doc("query", schema)


@dataclass(frozen=True)
class SchemaSite:
    """Where a family's schema is placed: `build` wraps it into a whole document."""

    name: str
    direction: str
    subject: str
    build: Callable[[Schema], dict[str, Any]]
    parameter: bool = False


SITES = (
    SchemaSite("request-body", "request", "body", request_body_doc),
    SchemaSite("request-property", "request", "property", _request_property),
    SchemaSite("query-parameter", "request", "parameter", _query_parameter, True),
    SchemaSite("response-body", "response", "body", response_body_doc),
    SchemaSite("response-property", "response", "property", _response_property),
)
# Path and header parameters take the families a scalar parameter can have.
_SCALAR_FAMILIES = frozenset(
    {"max-length-increased", "min-set", "max-increased", "became-enum", "enum-value-added"}
    | {"pattern-added", "type-generalized"}
)


def _parameter_builder(location: str) -> Callable[[Schema], dict[str, Any]]:
    return lambda schema: parameter_doc(location, schema)


EXTRA_SITES = tuple(
    SchemaSite(f"{location}-parameter", "request", "parameter", _parameter_builder(location), True)
    for location in ("path", "header")
)


def expectations(site: SchemaSite, suffixes: tuple[str, ...]) -> Pair:
    pairs = []
    index = 0 if site.direction == "request" else 1
    for suffix in suffixes:
        level = SUFFIX_LEVELS[suffix][index]
        assert level is not None, (site.name, suffix)
        pairs.append([f"{site.direction}-{site.subject}-{suffix}", level])
    return pairs


def schema_cases() -> Iterator[Case]:
    families = list(_families())
    for site in SITES + EXTRA_SITES:
        for family in families:
            if site.parameter and not family.parameters:
                continue
            if site in EXTRA_SITES and family.name not in _SCALAR_FAMILIES:
                continue
            forward, backward = family.forward, family.backward
            if site.direction == "response" and family.response_forward is not None:
                forward = family.response_forward
            if site.direction == "response" and family.response_backward is not None:
                backward = family.response_backward
            if not forward and not backward:
                continue
            about = f"{family.name} at the {site.name.replace('-', ' ')}"
            yield _case(
                f"{site.name}/{family.name}",
                about,
                site.build(family.old),
                site.build(family.new),
                expect=expectations(site, forward),
                reverse=expectations(site, backward),
            )


# -- site-specific presence and requiredness rules ---------------------------------------------


def _case(name: str, about: str, base: Any, revision: Any, *, expect: Pair, reverse: Pair) -> Case:
    return name, {
        "about": about,
        "base": base,
        "revision": revision,
        "expect": expect,
        "reverse": reverse,
    }


def body_cases() -> Iterator[Case]:
    created = {"201": {"description": "created"}}
    bare = document("/items", "post", {"responses": created})

    def with_body(required: bool, content: dict[str, Any]) -> dict[str, Any]:
        body = {"required": required, "content": content}
        return document("/items", "post", {"requestBody": body, "responses": created})

    removed = [["request-body-removed", ERR]]
    yield _case(
        "request-body/added-required",
        "a required request body added to an operation without one",
        bare,
        with_body(True, json_content(STRING)),
        expect=[["request-body-added-required", ERR]],
        reverse=removed,
    )
    yield _case(
        "request-body/added-optional",
        "an optional request body added to an operation without one",
        bare,
        with_body(False, json_content(STRING)),
        expect=[["request-body-added-optional", INFO]],
        reverse=removed,
    )
    yield _case(
        "request-body/became-required",
        "the request body became required",
        with_body(False, json_content(STRING)),
        with_body(True, json_content(STRING)),
        expect=[["request-body-became-required", ERR]],
        reverse=[["request-body-became-optional", INFO]],
    )
    xml = {"application/xml": {"schema": STRING}}
    yield _case(
        "request-body/media-type-added",
        "a media type added to the request body",
        with_body(True, json_content(STRING)),
        with_body(True, json_content(STRING) | xml),
        expect=[["request-body-media-type-added", INFO]],
        reverse=[["request-body-media-type-removed", ERR]],
    )
    yield _case(
        "request-body/media-type-schema-added",
        "a schema added to a request body media type that had none",
        with_body(True, json_content(None)),
        with_body(True, json_content(STRING)),
        expect=[["request-body-media-type-schema-added", ERR]],
        reverse=[["request-body-media-type-schema-removed", INFO]],
    )


def response_cases() -> Iterator[Case]:
    def with_responses(responses: dict[str, Any]) -> dict[str, Any]:
        return document("/items", "get", {"responses": responses})

    ok = {"200": {"description": "ok", "content": json_content(STRING)}}
    yield _case(
        "response/success-status-added",
        "a success status added to an operation",
        with_responses(ok),
        with_responses(ok | {"202": {"description": "accepted"}}),
        expect=[["response-success-status-added", INFO]],
        reverse=[["response-success-status-removed", ERR]],
    )
    yield _case(
        "response/non-success-status-added",
        "an error status added to an operation",
        with_responses(ok),
        with_responses(ok | {"404": {"description": "missing"}}),
        expect=[["response-non-success-status-added", INFO]],
        reverse=[["response-non-success-status-removed", INFO]],
    )
    xml = {"application/xml": {"schema": STRING}}
    yield _case(
        "response/media-type-added",
        "a media type added to a success response",
        with_responses(ok),
        with_responses({"200": {"description": "ok", "content": json_content(STRING) | xml}}),
        expect=[["response-media-type-added", INFO]],
        reverse=[["response-media-type-removed", ERR]],
    )
    yield _case(
        "response/media-type-schema-added",
        "a schema added to a response media type that had none",
        with_responses({"200": {"description": "ok", "content": json_content(None)}}),
        with_responses(ok),
        expect=[["response-body-media-type-schema-added", INFO]],
        reverse=[["response-body-media-type-schema-removed", WARN]],
    )

    def with_header(header: dict[str, Any] | None) -> dict[str, Any]:
        headers = {} if header is None else {"headers": {"X-Rate-Limit": header}}
        return with_responses({"200": {"description": "ok", **headers}})

    optional, required = {"schema": INTEGER}, {"required": True, "schema": INTEGER}
    yield _case(
        "response-header/optional-added",
        "an optional response header added",
        with_header(None),
        with_header(optional),
        expect=[["response-header-added", INFO]],
        reverse=[["optional-response-header-removed", WARN]],
    )
    yield _case(
        "response-header/required-added",
        "a required response header added",
        with_header(None),
        with_header(required),
        expect=[["response-header-added", INFO]],
        reverse=[["required-response-header-removed", ERR]],
    )
    yield _case(
        "response-header/became-required",
        "a response header became required",
        with_header(optional),
        with_header(required),
        expect=[["response-header-became-required", INFO]],
        reverse=[["response-header-became-optional", ERR]],
    )


def parameter_cases() -> Iterator[Case]:
    ok = {"200": {"description": "ok"}}
    for location in ("query", "header"):
        bare = document("/items", "get", {"responses": ok})
        removed = [["request-parameter-removed", WARN]]
        yield _case(
            f"{location}-parameter/new-optional",
            f"an optional {location} parameter added",
            bare,
            parameter_doc(location, STRING),
            expect=[["new-optional-request-parameter", INFO]],
            reverse=removed,
        )
        yield _case(
            f"{location}-parameter/new-required",
            f"a required {location} parameter added",
            bare,
            parameter_doc(location, STRING, required=True),
            expect=[["new-required-request-parameter", ERR]],
            reverse=removed,
        )
        yield _case(
            f"{location}-parameter/became-required",
            f"a {location} parameter became required",
            parameter_doc(location, STRING),
            parameter_doc(location, STRING, required=True),
            expect=[["request-parameter-became-required", ERR]],
            reverse=[["request-parameter-became-optional", INFO]],
        )
    # oasdiff's test: the path template is unchanged, the operation now declares its parameter.
    yield _case(
        "path-parameter/new",
        "a path parameter of the template declared by an operation that did not declare it",
        document("/items/{value}", "get", {"responses": ok}),
        parameter_doc("path", STRING),
        expect=[["new-request-path-parameter", ERR]],
        reverse=[["request-parameter-removed", WARN]],
    )


def property_cases() -> Iterator[Case]:
    def request(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
        return request_body_doc({**OBJECT, "properties": properties, "required": required})

    def response(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
        return response_body_doc({**OBJECT, "properties": properties, "required": required})

    name, defaulted = {"name": STRING}, {"name": {**STRING, "default": "x"}}
    removed = [["request-property-removed", WARN]]
    yield _case(
        "request-property/new-optional",
        "an optional request property added",
        request({}, []),
        request(name, []),
        expect=[["new-optional-request-property", INFO]],
        reverse=removed,
    )
    yield _case(
        "request-property/new-required",
        "a required request property added",
        request({}, []),
        request(name, ["name"]),
        expect=[["new-required-request-property", ERR]],
        reverse=removed,
    )
    yield _case(
        "request-property/new-required-with-default",
        "a required request property with a default added",
        request({}, []),
        request(defaulted, ["name"]),
        expect=[["new-required-request-property-with-default", ERR]],
        reverse=removed,
    )
    yield _case(
        "request-property/became-required",
        "a request property became required",
        request(name, []),
        request(name, ["name"]),
        expect=[["request-property-became-required", ERR]],
        reverse=[["request-property-became-optional", INFO]],
    )
    yield _case(
        "request-property/became-required-with-default",
        "a request property with a default became required",
        request(defaulted, []),
        request(defaulted, ["name"]),
        expect=[["request-property-became-required-with-default", ERR]],
        reverse=[["request-property-became-optional", INFO]],
    )
    yield _case(
        "response-property/required-added",
        "a required response property added",
        response({}, []),
        response(name, ["name"]),
        expect=[["response-required-property-added", INFO]],
        reverse=[["response-required-property-removed", ERR]],
    )
    yield _case(
        "response-property/optional-added",
        "an optional response property added",
        response({}, []),
        response(name, []),
        expect=[["response-optional-property-added", INFO]],
        reverse=[["response-optional-property-removed", WARN]],
    )
    yield _case(
        "response-property/became-required",
        "a response property became required",
        response(name, []),
        response(name, ["name"]),
        expect=[["response-property-became-required", INFO]],
        reverse=[["response-property-became-optional", ERR]],
    )


# -- writing ------------------------------------------------------------------------------------


def all_cases() -> Iterator[Case]:
    yield from schema_cases()
    yield from body_cases()
    yield from response_cases()
    yield from parameter_cases()
    yield from property_cases()


def main() -> None:
    written: set[Path] = set()
    for name, case in all_cases():
        path = OUT / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(case, indent=1, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.add(path)
    for stale in OUT.rglob("*.json"):
        if stale not in written:
            stale.unlink()
    print(f"{len(written)} cases in {OUT}")


if __name__ == "__main__":
    main()
