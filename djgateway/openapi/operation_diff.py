"""Changes inside one operation: lifecycle, parameters, request body, responses and security."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .changes import Change, DiffOptions, Level
from .lifecycle import OPERATION_RULES, PARAMETER_RULES, Lifecycle
from .schema_diff import diff_schema
from .security_diff import diff_operation_security
from .site import Site

_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")
ParameterKey = tuple[str, str]
_MISSING = object()


@dataclass(frozen=True)
class OperationContext:
    """What comparing one operation needs beyond the two operations themselves."""

    templates: tuple[str, str]
    lifecycle: Lifecycle = field(default_factory=lambda: Lifecycle(DiffOptions()))
    # Non-path parameters the revision declares on the path item and the base path item did not.
    new_path_level: frozenset[ParameterKey] = frozenset()
    # The document-level security requirements (inherited where an operation has none).
    global_security: tuple[Any, Any] = (None, None)


def diff_operation(
    endpoint: Site, base: dict[str, Any], revision: dict[str, Any], context: OperationContext
) -> Iterator[Change]:
    """Compare two operations (with path-level parameters merged in)."""
    yield from context.lifecycle.deprecation(endpoint, OPERATION_RULES, base, revision)
    if base == revision and _same_context(context):
        return  # most operations of a snapshot check: equality runs in C, the rules do not
    yield from _diff_metadata(endpoint, base, revision)
    yield from _diff_parameters(endpoint, base, revision, context)
    yield from _diff_request_body(endpoint, base.get("requestBody"), revision.get("requestBody"))
    yield from _diff_responses(endpoint, _dict(base, "responses"), _dict(revision, "responses"))
    security = Site("none", endpoint.path, endpoint.method, "security")
    own = (base.get("security"), revision.get("security"))
    yield from diff_operation_security(security, own, context.global_security)


def _same_context(context: OperationContext) -> bool:
    """Whether what lies outside the operation compares equal too (then nothing changed)."""
    return (
        context.templates[0] == context.templates[1]
        and context.global_security[0] == context.global_security[1]
        and not context.new_path_level
    )


def _dict(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _diff_metadata(
    endpoint: Site, base: dict[str, Any], revision: dict[str, Any]
) -> Iterator[Change]:
    """operationId and tags: INFO in oasdiff, but generated clients are named after them."""
    before, after = base.get("operationId") or "", revision.get("operationId") or ""
    if before and before != after:
        text = f"the operation id {before} was removed" + (
            f" and replaced with {after}" * bool(after)
        )
        yield endpoint.change("api-operation-id-removed", text)
    elif after and not before:
        yield endpoint.change("api-operation-id-added", f"the operation id {after} was added")
    old, new = _tags(base), _tags(revision)
    for tag in sorted(old - new):
        yield endpoint.change("api-tag-removed", f"the tag {tag} was removed")
    for tag in sorted(new - old):
        yield endpoint.change("api-tag-added", f"the tag {tag} was added")


def _tags(operation: dict[str, Any]) -> frozenset[str]:
    tags = operation.get("tags")
    return frozenset(str(tag) for tag in tags) if isinstance(tags, list) else frozenset()


# -- parameters ------------------------------------------------------------------------------


def _diff_parameters(
    endpoint: Site, base: dict[str, Any], revision: dict[str, Any], context: OperationContext
) -> Iterator[Change]:
    templates, lifecycle = context.templates, context.lifecycle
    old, new = _parameters(base, templates[0]), _parameters(revision, templates[1])
    for key in sorted(old.keys() - new.keys()):
        yield from lifecycle.removal(_parameter_site(endpoint, old[key]), PARAMETER_RULES, old[key])
    for key in sorted(new.keys() - old.keys()):
        path_level = key in context.new_path_level
        yield _parameter_added(_parameter_site(endpoint, new[key]), new[key], path_level)
    for key in sorted(old.keys() & new.keys()):
        site = _parameter_site(endpoint, new[key])
        yield from lifecycle.deprecation(site, PARAMETER_RULES, old[key], new[key])
        yield from _diff_parameter(site, old[key], new[key])


def _parameters(operation: dict[str, Any], template: str) -> dict[ParameterKey, dict[str, Any]]:
    result: dict[ParameterKey, dict[str, Any]] = {}
    for parameter in operation.get("parameters") or []:
        if isinstance(parameter, dict) and "name" in parameter and "in" in parameter:
            result[parameter_key(parameter, template)] = parameter
    return result


def parameter_key(parameter: dict[str, Any], template: str) -> ParameterKey:
    """Path parameters match by position in the template, headers case-insensitively."""
    location, name = str(parameter["in"]), str(parameter["name"])
    if location == "path":
        names = _PATH_PARAMETER.findall(template)
        return location, f"#{names.index(name)}" if name in names else name
    return location, name.lower() if location == "header" else name


def _parameter_site(endpoint: Site, parameter: dict[str, Any]) -> Site:
    location, name = parameter["in"], parameter["name"]
    prefix, label = f"parameter {location} {name}", f"{location} parameter {name}"
    return Site("request", endpoint.path, endpoint.method, prefix, "parameter", label=label)


def _is_required(parameter: dict[str, Any]) -> bool:
    return parameter.get("in") == "path" or parameter.get("required") is True


def _parameter_added(site: Site, parameter: dict[str, Any], path_level: bool) -> Change:
    if parameter.get("in") == "path":
        return site.change("new-request-path-parameter", f"added the new {site.noun()}")
    kind = "required" if _is_required(parameter) else "optional"
    if path_level:
        text = f"added the new {kind} {site.noun()} to all operations of the path"
        return site.change(f"new-{kind}-request-default-parameter-to-existing-path", text)
    return site.change(f"new-{kind}-request-parameter", f"added the new {kind} {site.noun()}")


def _diff_parameter(site: Site, base: dict[str, Any], revision: dict[str, Any]) -> Iterator[Change]:
    before, after = _is_required(base), _is_required(revision)
    if before != after:
        became = "became-required" if after else "became-optional"
        text = f"the {site.noun()} {became.replace('-', ' ')}"
        yield site.change(f"request-parameter-{became}", text)
    old, new = _parameter_schema(base), _parameter_schema(revision)
    if not before and not after:  # oasdiff only compares defaults of optional parameters
        yield from _diff_default(site, old, new)
    yield from diff_schema(site, old, new)


def _parameter_schema(parameter: dict[str, Any]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    media = _dict(parameter, "content")
    return next((_dict(media, name).get("schema") for name in sorted(media)), None)


def _diff_default(site: Site, base: Any, revision: Any) -> Iterator[Change]:
    """`default` of a parameter's schema (body and property defaults are schema_diff's)."""
    old = base.get("default", _MISSING) if isinstance(base, dict) else _MISSING
    new = revision.get("default", _MISSING) if isinstance(revision, dict) else _MISSING
    if old == new and isinstance(old, bool) == isinstance(new, bool):  # True == 1 in Python
        return
    where = site.noun()
    if old is _MISSING:
        yield site.change(
            "request-parameter-default-value-added", f"the default {new!r} was added to {where}"
        )
    elif new is _MISSING:
        text = f"the default {old!r} was removed from {where}"
        yield site.change("request-parameter-default-value-removed", text)
    else:
        text = f"the default of {where} changed from {old!r} to {new!r}"
        yield site.change("request-parameter-default-value-changed", text)


# -- request body ----------------------------------------------------------------------------


def _diff_request_body(endpoint: Site, base: Any, revision: Any) -> Iterator[Change]:
    site = Site("request", endpoint.path, endpoint.method, "request body")
    if not isinstance(base, dict) or not isinstance(revision, dict):
        yield from _request_body_presence(site, base, revision)
        return
    before, after = base.get("required") is True, revision.get("required") is True
    if before != after:
        became = "became-required" if after else "became-optional"
        yield site.change(f"request-body-{became}", f"the request body {became.replace('-', ' ')}")
    yield from _diff_content(site, _dict(base, "content"), _dict(revision, "content"))


def _request_body_presence(site: Site, base: Any, revision: Any) -> Iterator[Change]:
    if isinstance(base, dict):
        yield site.change("request-body-removed", "the request body was removed")
    elif isinstance(revision, dict):
        kind = "required" if revision.get("required") is True else "optional"
        yield site.change(f"request-body-added-{kind}", f"added a {kind} request body")


def _diff_content(
    site: Site, base: dict[str, Any], revision: dict[str, Any], level: Level | None = None
) -> Iterator[Change]:
    """Compare media types; the site's prefix omits the media type when it is the only one."""
    side = "request-body" if site.direction == "request" else "response"
    for media in sorted(base.keys() - revision.keys()):
        text = f"the media type {media} was removed from the {site.prefix}"
        yield _at(site, media).change(f"{side}-media-type-removed", text, level)
    for media in sorted(revision.keys() - base.keys()):
        text = f"the media type {media} was added to the {site.prefix}"
        yield _at(site, media).change(f"{side}-media-type-added", text)
    single = len(base) == len(revision) == 1
    for media in sorted(base.keys() & revision.keys()):
        schema_site = site if single and site.direction == "request" else _at(site, media)
        old, new = _dict(base, media).get("schema"), _dict(revision, media).get("schema")
        if (old is None) != (new is None):
            yield _schema_presence(_at(site, media), old is None, level)
            continue
        yield from diff_schema(schema_site, old, new)


def _schema_presence(site: Site, added: bool, level: Level | None) -> Change:
    """A media type kept, its schema added (narrows a request) or removed (loosens a response)."""
    action = "added" if added else "removed"
    text = f"the schema of the {site.prefix} was {action}"
    guarded = level if site.direction == "response" and not added else None
    return site.change(f"{site.direction}-body-media-type-schema-{action}", text, guarded)


def _at(site: Site, media: str) -> Site:
    return Site(site.direction, site.path, site.method, f"{site.prefix} {media}")


# -- responses -------------------------------------------------------------------------------


def _diff_responses(
    endpoint: Site, base: dict[str, Any], revision: dict[str, Any]
) -> Iterator[Change]:
    old, new = _by_status(base), _by_status(revision)
    for status in sorted(old.keys() - new.keys()):
        kind = "success" if is_success(status) else "non-success"
        site = _response_site(endpoint, status)
        yield site.change(f"response-{kind}-status-removed", f"the {status} response was removed")
    for status in sorted(new.keys() - old.keys()):
        kind = "success" if is_success(status) else "non-success"
        site = _response_site(endpoint, status)
        yield site.change(f"response-{kind}-status-added", f"the {status} response was added")
    for status in sorted(old.keys() & new.keys()):
        yield from _diff_response(endpoint, status, old[status], new[status])


def _by_status(responses: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(key).upper(): value for key, value in responses.items() if isinstance(value, dict)}


def is_success(status: str) -> bool:
    """2xx and 3xx responses (and their `2XX`/`3XX` ranges) are successes."""
    return status[:1] in ("2", "3")


def _response_site(endpoint: Site, status: str) -> Site:
    return Site("response", endpoint.path, endpoint.method, f"response {status}")


def _diff_response(
    endpoint: Site, status: str, base: dict[str, Any], revision: dict[str, Any]
) -> Iterator[Change]:
    site = _response_site(endpoint, status)
    level = None if is_success(status) else Level.INFO
    yield from _diff_content(site, _dict(base, "content"), _dict(revision, "content"), level)
    yield from _diff_headers(site, _dict(base, "headers"), _dict(revision, "headers"))


def _diff_headers(site: Site, base: dict[str, Any], revision: dict[str, Any]) -> Iterator[Change]:
    old = {name.lower(): (name, header) for name, header in base.items()}
    new = {name.lower(): (name, header) for name, header in revision.items()}
    for key in sorted(old.keys() - new.keys()):
        name, header = old[key]
        kind = "required" if _is_required_header(header) else "optional"
        text = f"the {kind} response header {name} was removed"
        yield _header_site(site, name).change(f"{kind}-response-header-removed", text)
    for key in sorted(new.keys() - old.keys()):
        name = new[key][0]
        text = f"the response header {name} was added"
        yield _header_site(site, name).change("response-header-added", text)
    for key in sorted(old.keys() & new.keys()):
        yield from _diff_header(_header_site(site, new[key][0]), old[key][1], new[key][1])


def _header_site(site: Site, name: str) -> Site:
    return Site(site.direction, site.path, site.method, f"{site.prefix} header {name}")


def _is_required_header(header: Any) -> bool:
    return isinstance(header, dict) and header.get("required") is True


def _diff_header(site: Site, base: Any, revision: Any) -> Iterator[Change]:
    before, after = _is_required_header(base), _is_required_header(revision)
    if before != after:
        became = "became-required" if after else "became-optional"
        text = f"the {site.prefix} {became.replace('-', ' ')}"
        yield site.change(f"response-header-{became}", text)
