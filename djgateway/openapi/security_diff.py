"""Security requirement changes of one operation (requirements are OR-ed alternatives)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .changes import Change, Level
from .site import Site

Alternatives = dict[frozenset[str], dict[str, frozenset[str]]]


def diff_security(site: Site, base: Any, revision: Any) -> Iterator[Change]:
    """Compare the effective security requirements of one operation."""
    old, new = alternatives(base), alternatives(revision)
    old_public, new_public = _is_public(old), _is_public(new)
    if old_public and not new_public:
        yield _became_authenticated(site, new)
    else:
        yield from _added_alternatives(site, old, new)
        yield from _removed_alternatives(site, old, new, new_public)
    for key in sorted(old.keys() & new.keys(), key=sorted):
        yield from _diff_scopes(site, old[key], new[key], new_public)


def alternatives(requirements: Any) -> Alternatives:
    """Requirement objects keyed by their set of scheme names; `{}` means anonymous access."""
    result: Alternatives = {}
    for requirement in requirements if isinstance(requirements, list) else []:
        if isinstance(requirement, dict):
            scopes = {name: frozenset(value or ()) for name, value in requirement.items()}
            result[frozenset(scopes)] = scopes
    return result


def _is_public(alts: Alternatives) -> bool:
    return not alts or frozenset() in alts


def _schemes(key: frozenset[str]) -> str:
    return " + ".join(sorted(key)) or "anonymous access"


def _became_authenticated(site: Site, new: Alternatives) -> Change:
    schemes = ", ".join(_schemes(key) for key in sorted(new, key=sorted))
    text = f"the operation now requires authentication ({schemes})"
    return site.change("api-security-added", text, Level.ERR)


def _added_alternatives(site: Site, old: Alternatives, new: Alternatives) -> Iterator[Change]:
    for key in sorted(new.keys() - old.keys(), key=sorted):
        text = f"the security requirement {_schemes(key)} was added as an alternative"
        yield site.change("api-security-added", text)


def _removed_alternatives(
    site: Site, old: Alternatives, new: Alternatives, new_public: bool
) -> Iterator[Change]:
    level = Level.INFO if new_public else None
    for key in sorted(old.keys() - new.keys(), key=sorted):
        text = f"the security requirement {_schemes(key)} was removed"
        yield site.change("api-security-removed", text, level)


def _diff_scopes(
    site: Site, old: dict[str, frozenset[str]], new: dict[str, frozenset[str]], new_public: bool
) -> Iterator[Change]:
    level = Level.INFO if new_public else None
    for scheme in sorted(old):
        for scope in sorted(new[scheme] - old[scheme]):
            text = f"the scope {scope} was added to the security scheme {scheme}"
            yield site.change("api-security-scope-added", text, level)
        for scope in sorted(old[scheme] - new[scheme]):
            text = f"the scope {scope} was removed from the security scheme {scheme}"
            yield site.change("api-security-scope-removed", text)
