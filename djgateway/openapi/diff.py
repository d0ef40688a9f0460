"""`diff_documents`: compare two OpenAPI 3.x documents and list the changes, oasdiff-style.

Endpoints match on (method, path template with parameter names erased), so renaming
`/a/{id}` to `/a/{a_id}` is not a change. Local `$ref`s are expanded on both sides first.
Path-level parameters are merged into each operation (so moving a parameter between the path
item and its operations is not a change), as oasdiff ≥ v1.40 does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .changes import Change, DiffOptions, sort_changes
from .lifecycle import OPERATION_RULES, PATH_RULES, Lifecycle, in_scope, stability_level
from .lifecycle import STABILITY_ORDER as _ORDER
from .operation_diff import OperationContext, diff_operation, parameter_key
from .resolve import Resolver
from .security_diff import diff_global_security
from .site import Site

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_PARAMETER = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class _Spec:
    """One document prepared for comparison: path items keyed by their erased template."""

    paths: dict[str, tuple[str, dict[str, Any]]]
    security: Any
    schemes: frozenset[str]
    webhooks: dict[str, frozenset[str]]


def diff_documents(
    base: dict[str, Any], revision: dict[str, Any], *, options: DiffOptions | None = None
) -> list[Change]:
    """All changes from `base` to `revision`, sorted by path, method, location and rule id."""
    options = options or DiffOptions()
    old, new = _prepare(base), _prepare(revision)
    changes = [
        *_diff_paths(old, new, options),
        *_diff_global_security(old, new),
        *_diff_security_schemes(old.schemes, new.schemes),
        *_diff_webhooks(old.webhooks, new.webhooks),
    ]
    return sort_changes(changes)


def erase_parameter_names(template: str) -> str:
    """`/a/{id}/b/{b_id}` → `/a/{}/b/{}`."""
    return _PATH_PARAMETER.sub("{}", template)


def _prepare(document: dict[str, Any]) -> _Spec:
    resolver = Resolver(document)
    raw_paths = document.get("paths")
    expanded = resolver.expand(raw_paths if isinstance(raw_paths, dict) else {})
    paths = {
        erase_parameter_names(template): (template, item)
        for template, item in sorted(expanded.items())
        if isinstance(item, dict)
    }
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    names = frozenset(schemes) if isinstance(schemes, dict) else frozenset()
    webhooks = _webhooks(resolver.expand(document.get("webhooks")))
    return _Spec(paths, document.get("security"), names, webhooks)


def _webhooks(webhooks: Any) -> dict[str, frozenset[str]]:
    """Webhook names with their methods (OpenAPI 3.1)."""
    if not isinstance(webhooks, dict):
        return {}
    return {
        str(name): frozenset(m for m in METHODS if isinstance(item.get(m), dict))
        for name, item in webhooks.items()
        if isinstance(item, dict)
    }


def _operations(spec: _Spec, key: str) -> dict[str, dict[str, Any]]:
    """The operations of one path item, with path-level parameters merged in."""
    template, item = spec.paths[key]
    shared = _shared_parameters(item)
    operations = {}
    for method in METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            operations[method] = _merged(operation, shared, template)
    return operations


def _shared_parameters(item: dict[str, Any]) -> list[dict[str, Any]]:
    parameters = item.get("parameters")
    candidates = parameters if isinstance(parameters, list) else []
    return [p for p in candidates if isinstance(p, dict) and "name" in p and "in" in p]


def _merged(
    operation: dict[str, Any], shared: list[dict[str, Any]], template: str
) -> dict[str, Any]:
    own = [p for p in operation.get("parameters") or [] if isinstance(p, dict) and "name" in p]
    by_key = {parameter_key(p, template): p for p in [*shared, *own] if "in" in p}
    return {**operation, "parameters": list(by_key.values())}


def _diff_paths(old: _Spec, new: _Spec, options: DiffOptions) -> Iterator[Change]:
    for key in sorted(old.paths.keys() - new.paths.keys()):
        yield from _path_removed(old.paths[key][0], _operations(old, key), options)
    for key in sorted(new.paths.keys() - old.paths.keys()):
        yield from _operations_added(new.paths[key][0], _operations(new, key))
    for key in sorted(old.paths.keys() & new.paths.keys()):
        yield from _diff_path(old, new, key, options)


def _path_removed(
    path: str, operations: dict[str, dict[str, Any]], options: DiffOptions
) -> Iterator[Change]:
    """oasdiff ignores a removed path whose operations are all draft or alpha."""
    levels = {method: stability_level(operation) for method, operation in operations.items()}
    for method, level in levels.items():
        if level is None:
            yield _invalid_stability(_endpoint(path, method), operations[method])
    if not any(level is not None and in_scope(level) for level in levels.values()):
        return
    for method, operation in operations.items():
        if levels[method] is not None and in_scope(levels[method]):
            lifecycle = Lifecycle(options, levels[method])
            yield from lifecycle.removal(_endpoint(path, method), PATH_RULES, operation)


def _operations_added(path: str, operations: dict[str, dict[str, Any]]) -> Iterator[Change]:
    for method in operations:
        yield _endpoint(path, method).change("endpoint-added", f"added {method.upper()} {path}")


def _diff_path(old: _Spec, new: _Spec, key: str, options: DiffOptions) -> Iterator[Change]:
    old_template, new_template = old.paths[key][0], new.paths[key][0]
    before, after = _operations(old, key), _operations(new, key)
    for method in sorted(before.keys() - after.keys()):
        endpoint = _endpoint(new_template, method)
        level = stability_level(before[method])
        if level is None:
            yield _invalid_stability(endpoint, before[method])
        elif in_scope(level):
            yield from Lifecycle(options, level).removal(endpoint, OPERATION_RULES, before[method])
    yield from _operations_added(new_template, {m: after[m] for m in after.keys() - before.keys()})
    context = OperationContext(
        templates=(old_template, new_template),
        new_path_level=_new_path_level(old.paths[key], new.paths[key]),
        global_security=(old.security, new.security),
    )
    for method in sorted(before.keys() & after.keys()):
        endpoint = _endpoint(new_template, method)
        yield from _diff_matched(endpoint, before[method], after[method], context, options)


def _new_path_level(
    old: tuple[str, dict[str, Any]], new: tuple[str, dict[str, Any]]
) -> frozenset[tuple[str, str]]:
    """Non-path parameters the revised path item declares and the base path item did not."""
    before = {parameter_key(p, old[0]) for p in _shared_parameters(old[1])}
    after = {parameter_key(p, new[0]) for p in _shared_parameters(new[1])}
    return frozenset(key for key in after - before if key[0] != "path")


def _diff_matched(
    endpoint: Site,
    base: dict[str, Any],
    revision: dict[str, Any],
    context: OperationContext,
    options: DiffOptions,
) -> Iterator[Change]:
    """Stability first: changes to an operation that is now draft or alpha are not reported."""
    old_level, new_level = stability_level(base), stability_level(revision)
    if old_level is None:
        yield _invalid_stability(endpoint, base, "base ")
    if new_level is None:
        yield _invalid_stability(endpoint, revision, "revised ")
    if old_level is not None and new_level is not None:
        yield from _diff_stability(endpoint, old_level or "stable", new_level or "stable")
    if not in_scope(new_level):
        return
    lifecycle = Lifecycle(options, new_level)
    yield from diff_operation(endpoint, base, revision, _with(context, lifecycle))


def _with(context: OperationContext, lifecycle: Lifecycle) -> OperationContext:
    return OperationContext(
        context.templates, lifecycle, context.new_path_level, context.global_security
    )


def _diff_stability(endpoint: Site, before: str, after: str) -> Iterator[Change]:
    """Only operations that were beta or stable report a change of level (as oasdiff)."""
    if before == after or not in_scope(before):
        return
    direction = "decreased" if _ORDER[after] < _ORDER[before] else "increased"
    text = f"the stability level {direction} from {before} to {after}"
    yield endpoint.change(f"api-stability-{direction}", text)


def _invalid_stability(endpoint: Site, operation: dict[str, Any], which: str = "") -> Change:
    value = operation.get("x-stability-level")
    text = f"the {which}x-stability-level {value!r} is not one of draft, alpha, beta or stable"
    return endpoint.change("api-invalid-stability-level", text)


def _endpoint(path: str, method: str) -> Site:
    return Site("none", path, method, "")


def _diff_global_security(old: _Spec, new: _Spec) -> Iterator[Change]:
    """Changes of the document's `security`; access changes only count where it is inherited."""
    inherited = any(
        in_scope(stability_level(after[method]))
        and not isinstance(before[method].get("security"), list)
        and not isinstance(after[method].get("security"), list)
        for key in old.paths.keys() & new.paths.keys()
        for before, after in [(_operations(old, key), _operations(new, key))]
        for method in before.keys() & after.keys()
    )
    site = Site("none", "", "", "security")
    yield from diff_global_security(site, old.security, new.security, inherited)


def _diff_security_schemes(old: frozenset[str], new: frozenset[str]) -> Iterator[Change]:
    for action, names in (("removed", old - new), ("added", new - old)):
        for name in sorted(names):
            site = Site("none", "", "", f"security scheme {name}")
            text = f"the security scheme {name} was {action}"
            yield site.change(f"api-security-component-{action}", text)


def _diff_webhooks(
    old: dict[str, frozenset[str]], new: dict[str, frozenset[str]]
) -> Iterator[Change]:
    """A webhook (or one of its methods) no longer sent breaks its subscribers: ERR as in oasdiff.
    Changes inside a kept webhook are not classified (oasdiff does not either)."""
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before is None or after is None:
            action = "added" if before is None else "removed"
            site = Site("none", "", "", f"webhook {name}")
            yield site.change(f"webhook-{action}", f"the webhook {name} was {action}")
            continue
        for action, methods in (("removed", before - after), ("added", after - before)):
            for method in sorted(methods):
                site = Site("none", "", "", f"webhook {name} {method}")
                text = f"the {method.upper()} of the webhook {name} was {action}"
                yield site.change(f"webhook-{action}", text)
