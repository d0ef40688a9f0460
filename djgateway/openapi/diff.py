"""`diff_documents`: compare two OpenAPI 3.x documents and list the changes, oasdiff-style.

Endpoints match on (method, path template with parameter names erased), so renaming
`/a/{id}` to `/a/{a_id}` is not a change. Local `$ref`s are expanded on both sides first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .changes import Change, sort_changes
from .operation_diff import diff_operation, parameter_key
from .resolve import Resolver
from .site import Site

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_PARAMETER = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class _Spec:
    """One document prepared for comparison: path items keyed by their erased template."""

    paths: dict[str, tuple[str, dict[str, Any]]]
    security: Any
    schemes: frozenset[str]


def diff_documents(base: dict[str, Any], revision: dict[str, Any]) -> list[Change]:
    """All changes from `base` to `revision`, sorted by path, method, location and rule id."""
    old, new = _prepare(base), _prepare(revision)
    changes = [*_diff_paths(old, new), *_diff_security_schemes(old.schemes, new.schemes)]
    return sort_changes(changes)


def erase_parameter_names(template: str) -> str:
    """`/a/{id}/b/{b_id}` → `/a/{}/b/{}`."""
    return _PATH_PARAMETER.sub("{}", template)


def _prepare(document: dict[str, Any]) -> _Spec:
    raw_paths = document.get("paths")
    expanded = Resolver(document).expand(raw_paths if isinstance(raw_paths, dict) else {})
    paths = {
        erase_parameter_names(template): (template, item)
        for template, item in sorted(expanded.items())
        if isinstance(item, dict)
    }
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    names = frozenset(schemes) if isinstance(schemes, dict) else frozenset()
    return _Spec(paths, document.get("security"), names)


def _operations(spec: _Spec, key: str) -> dict[str, dict[str, Any]]:
    """The operations of one path item, with path-level parameters and global security merged."""
    template, item = spec.paths[key]
    shared = [p for p in item.get("parameters") or [] if isinstance(p, dict) and "name" in p]
    operations = {}
    for method in METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            operations[method] = _merged(operation, shared, template, spec.security)
    return operations


def _merged(
    operation: dict[str, Any], shared: list[dict[str, Any]], template: str, security: Any
) -> dict[str, Any]:
    own = [p for p in operation.get("parameters") or [] if isinstance(p, dict) and "name" in p]
    by_key = {parameter_key(p, template): p for p in [*shared, *own] if "in" in p}
    merged = {**operation, "parameters": list(by_key.values())}
    merged.setdefault("security", security)
    return merged


def _diff_paths(old: _Spec, new: _Spec) -> Iterator[Change]:
    for key in sorted(old.paths.keys() - new.paths.keys()):
        yield from _path_removed(old.paths[key][0], _operations(old, key))
    for key in sorted(new.paths.keys() - old.paths.keys()):
        yield from _operations_added(new.paths[key][0], _operations(new, key))
    for key in sorted(old.paths.keys() & new.paths.keys()):
        yield from _diff_path(old, new, key)


def _path_removed(path: str, operations: dict[str, dict[str, Any]]) -> Iterator[Change]:
    for method, operation in operations.items():
        deprecated = operation.get("deprecated") is True
        rule = f"api-path-removed-with{'' if deprecated else 'out'}-deprecation"
        text = f"the path {path} was removed{' after deprecation' if deprecated else ''}"
        yield _endpoint(path, method).change(rule, text)


def _operations_added(path: str, operations: dict[str, dict[str, Any]]) -> Iterator[Change]:
    for method in operations:
        yield _endpoint(path, method).change("endpoint-added", f"added {method.upper()} {path}")


def _diff_path(old: _Spec, new: _Spec, key: str) -> Iterator[Change]:
    old_template, new_template = old.paths[key][0], new.paths[key][0]
    before, after = _operations(old, key), _operations(new, key)
    for method in sorted(before.keys() - after.keys()):
        deprecated = before[method].get("deprecated") is True
        rule = f"api-removed-with{'' if deprecated else 'out'}-deprecation"
        text = f"{method.upper()} {new_template} was removed"
        yield _endpoint(new_template, method).change(rule, text)
    yield from _operations_added(new_template, {m: after[m] for m in after.keys() - before.keys()})
    for method in sorted(before.keys() & after.keys()):
        endpoint = _endpoint(new_template, method)
        templates = (old_template, new_template)
        yield from diff_operation(endpoint, before[method], after[method], templates)


def _endpoint(path: str, method: str) -> Site:
    return Site("none", path, method, "")


def _diff_security_schemes(old: frozenset[str], new: frozenset[str]) -> Iterator[Change]:
    for action, names in (("removed", old - new), ("added", new - old)):
        for name in sorted(names):
            site = Site("none", "", "", f"security scheme {name}")
            text = f"the security scheme {name} was {action}"
            yield site.change(f"api-security-component-{action}", text)
