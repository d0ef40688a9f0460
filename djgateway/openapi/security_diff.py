"""Security requirement changes (requirements are OR-ed alternatives; `{}` means anonymous).

As in oasdiff: an operation's changes are judged on its effective requirements (its own list,
else the document's), an operation that inherits the document's list on both sides is covered
once by the `api-global-security-*` changes, and the oasdiff ids keep their (INFO) levels.
Whether a change locks clients out is said by separate rules: oasdiff's newer
`*-anonymous-access-removed` (ERR), and djgateway's `api-security-narrowed` /
`api-global-security-narrowed` (ERR): some alternative that was accepted is no longer accepted
by any alternative (a scheme or a scope is now required that such clients may not have).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .changes import Change
from .site import Site

Alternatives = dict[frozenset[str], dict[str, frozenset[str]]]


def diff_operation_security(
    site: Site, own: tuple[Any, Any], inherited: tuple[Any, Any]
) -> Iterator[Change]:
    """Compare one operation's effective requirements; `own` is None where it inherits."""
    if not isinstance(own[0], list) and not isinstance(own[1], list):
        return
    old = alternatives(own[0] if isinstance(own[0], list) else inherited[0])
    new = alternatives(own[1] if isinstance(own[1], list) else inherited[1])
    yield from _diff_access(site, "api-security", old, new, "the operation")
    yield from _diff_alternatives(site, "api-security", old, new, quiet=allows_anonymous(new))


def diff_global_security(site: Site, base: Any, revision: Any, inherited: bool) -> Iterator[Change]:
    """Compare the document's requirements; `inherited`: some operation inherits them both times."""
    old, new = alternatives(base), alternatives(revision)
    yield from _diff_alternatives(site, "api-global-security", old, new, quiet=False)
    if inherited:
        what = "operations without their own security requirements"
        yield from _diff_access(site, "api-global-security", old, new, what)


def alternatives(requirements: Any) -> Alternatives:
    """Requirement objects keyed by their set of scheme names; `{}` means anonymous access."""
    result: Alternatives = {}
    for requirement in requirements if isinstance(requirements, list) else []:
        if isinstance(requirement, dict):
            scopes = {name: frozenset(value or ()) for name, value in requirement.items()}
            result[frozenset(scopes)] = scopes
    return result


def allows_anonymous(alts: Alternatives) -> bool:
    """No requirement, or an empty alternative, lets requests without credentials through."""
    return not alts or frozenset() in alts


def _schemes(key: frozenset[str]) -> str:
    return " + ".join(sorted(key))


def _diff_access(
    site: Site, prefix: str, old: Alternatives, new: Alternatives, what: str
) -> Iterator[Change]:
    before, after = allows_anonymous(old), allows_anonymous(new)
    if before and not after:
        text = f"{what} no longer allow anonymous access"
        yield site.change(f"{prefix}-anonymous-access-removed", _singular(text, what))
    elif after and not before:
        text = f"{what} now allow anonymous access"
        yield site.change(f"{prefix}-anonymous-access-added", _singular(text, what))
    elif not before:
        for key in sorted(old, key=sorted):
            if not _accepted(old[key], new):
                text = (
                    f"clients authenticating with {_schemes(key)} are no longer accepted by {what}"
                )
                yield site.change(f"{prefix}-narrowed", text)


def _singular(text: str, what: str) -> str:
    return text.replace(" allow ", " allows ") if what == "the operation" else text


def _accepted(client: dict[str, frozenset[str]], new: Alternatives) -> bool:
    """Whether a client holding exactly `client`'s schemes and scopes meets some alternative."""
    return any(
        all(name in client and scopes <= client[name] for name, scopes in requirement.items())
        for requirement in new.values()
    )


def _diff_alternatives(
    site: Site, prefix: str, old: Alternatives, new: Alternatives, quiet: bool
) -> Iterator[Change]:
    """oasdiff's added/removed alternatives and scopes; `quiet` drops what cannot lock anyone out
    (an operation that now accepts anonymous requests)."""
    for key in sorted(new.keys() - old.keys() - {frozenset()}, key=sorted):
        text = f"the security requirement {_schemes(key)} was added"
        yield site.change(f"{prefix}-added", text)
    for key in sorted(old.keys() - new.keys() - {frozenset()}, key=sorted):
        if not quiet:
            yield site.change(
                f"{prefix}-removed", f"the security requirement {_schemes(key)} was removed"
            )
    for key in sorted(old.keys() & new.keys(), key=sorted):
        for scheme in sorted(key):
            if not quiet:
                for scope in sorted(new[key][scheme] - old[key][scheme]):
                    text = f"the scope {scope} was added to the security scheme {scheme}"
                    yield site.change(f"{prefix}-scope-added", text)
            for scope in sorted(old[key][scheme] - new[key][scheme]):
                text = f"the scope {scope} was removed from the security scheme {scheme}"
                yield site.change(f"{prefix}-scope-removed", text)
