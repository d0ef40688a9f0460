"""Changes of the JSON Schema keywords OpenAPI 3.1 adds: tuples, `contains`, conditionals,
dependencies, pattern properties, property names, unevaluated items/properties, encoded content
and `not`.

Sub-schemas under these keywords are compared like any schema (`recurse`), in the same
direction, because each of them narrows what the outer schema accepts when it narrows, except
`not`, which turns every effect round (see `mirrored`), and `if`, which only moves the line
between `then` and `else` (one incomparable `if-changed`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from .changes import Change, Level
from .normalize import Node
from .rules import RULE_LEVELS
from .site import Site

Recurse = Callable[[Site, Any, Any], Iterator[Change]]
_OPEN, _SCHEMA, _CLOSED = 0, 1, 2  # how much an `unevaluated*` keyword restricts


def diff_keywords(site: Site, old: Node, new: Node, recurse: Recurse) -> Iterator[Change]:
    """Yield the changes of the 3.1 keywords between two normalised schemas."""
    before, after = old.keywords, new.keywords
    sides: dict[str, Any] = {"before": before, "after": after, "recurse": recurse}
    yield from _diff_prefix_items(
        site, before.get("prefixItems"), after.get("prefixItems"), recurse
    )
    yield from _diff_contains(site, before, after, recurse)
    yield from _diff_dependent_required(site, before, after)
    yield from _diff_schema_map(
        site, keyword="dependentSchemas", suffix="dependent-schema", **sides
    )
    yield from _diff_schema_map(
        site, keyword="patternProperties", suffix="pattern-property", **sides
    )
    yield from _diff_conditionals(site, before, after, recurse)
    yield from _diff_sub_schema(site, keyword="propertyNames", suffix="property-names", **sides)
    for keyword, name in (("unevaluatedItems", "items"), ("unevaluatedProperties", "properties")):
        yield from _diff_unevaluated(site, keyword=keyword, suffix=f"unevaluated-{name}", **sides)
    yield from _diff_content(site, before, after, recurse)
    if "not" in before and "not" in after:
        for change in recurse(_sub(site, "not"), before["not"], after["not"]):
            yield mirrored(change)


def mirrored(change: Change) -> Change:
    """A change found inside `not`: what narrowed the inner schema widens the outer one.

    The level becomes that of the same rule seen from the other direction (a narrowing that is
    ERR in a request is INFO in a response and vice versa); without such a twin, a breaking
    level becomes WARN (the effect is undecided) and INFO stays INFO.
    """
    for mine, other in (("request-", "response-"), ("response-", "request-")):
        twin = other + change.rule.removeprefix(mine)
        if change.rule.startswith(mine) and twin in RULE_LEVELS:
            return replace(change, level=RULE_LEVELS[twin])
    level = Level.INFO if change.level is Level.INFO else Level.WARN
    return replace(change, level=level)


def _sub(site: Site, *segments: str) -> Site:
    return site.child(*segments, subject=site.subject)


def _presence(site: Site, keyword: str, suffix: str, before: bool, after: bool) -> Iterator[Change]:
    if before == after:
        return
    action = "added" if after else "removed"
    preposition = "to" if after else "from"
    text = f"the {keyword} keyword was {action} {preposition} the {site.noun()}"
    yield site.change(site.rule(f"{suffix}-{action}"), text)


# -- arrays ----------------------------------------------------------------------------------


def _diff_prefix_items(site: Site, before: Any, after: Any, recurse: Recurse) -> Iterator[Change]:
    old = before if isinstance(before, list) else []
    new = after if isinstance(after, list) else []
    for index in range(min(len(old), len(new))):
        yield from recurse(_sub(site, "prefixItems", str(index)), old[index], new[index])
    for action, longer, shorter in (("added", new, old), ("removed", old, new)):
        if len(longer) > len(shorter):
            positions = ", ".join(str(index) for index in range(len(shorter), len(longer)))
            text = f"prefixItems position(s) {positions} of the {site.noun()} were {action}"
            yield site.change(site.rule(f"prefix-items-{action}"), text)


def _diff_contains(
    site: Site, before: dict[str, Any], after: dict[str, Any], recurse: Recurse
) -> Iterator[Change]:
    yield from _diff_sub_schema(
        site, keyword="contains", suffix="contains", before=before, after=after, recurse=recurse
    )
    if "contains" not in before or "contains" not in after:
        return
    # Absent minContains means 1 and absent maxContains means no limit, so set/unset are
    # increases and decreases like any other.
    for keyword, name, default in (
        ("minContains", "min-contains", 1.0),
        ("maxContains", "max-contains", float("inf")),
    ):
        old, new = _number(before, keyword, default), _number(after, keyword, default)
        if old != new:
            action = "increased" if new > old else "decreased"
            text = f"the {keyword} of the {site.noun()} was {action} ({old:g} → {new:g})"
            yield site.change(site.rule(f"{name}-{action}"), text)


def _number(keywords: dict[str, Any], keyword: str, default: float) -> float:
    value = keywords.get(keyword)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


def _diff_unevaluated(
    site: Site,
    *,
    keyword: str,
    suffix: str,
    before: dict[str, Any],
    after: dict[str, Any],
    recurse: Recurse,
) -> Iterator[Change]:
    old, new = before.get(keyword), after.get(keyword)
    old_rank, new_rank = _restriction(old), _restriction(new)
    if old_rank == new_rank == _SCHEMA:
        yield from recurse(_sub(site, keyword), old, new)
    elif old_rank != new_rank:
        action = "added" if new_rank > old_rank else "removed"
        text = f"the {keyword} restriction of the {site.noun()} was {action}"
        yield site.change(site.rule(f"{suffix}-{action}"), text)


def _restriction(value: Any) -> int:
    if value is False:
        return _CLOSED
    return _SCHEMA if isinstance(value, dict) and value else _OPEN


# -- objects ---------------------------------------------------------------------------------


def _diff_dependent_required(
    site: Site, before: dict[str, Any], after: dict[str, Any]
) -> Iterator[Change]:
    old, new = _dict(before.get("dependentRequired")), _dict(after.get("dependentRequired"))
    for name in sorted(old.keys() - new.keys()):
        text = f"the properties required with {name} in the {site.noun()} were removed"
        yield site.change(site.rule("dependent-required-removed"), text)
    for name in sorted(new.keys() - old.keys()):
        text = f"properties required with {name} were added to the {site.noun()}"
        yield site.change(site.rule("dependent-required-added"), text)
    for name in sorted(old.keys() & new.keys()):
        if _names(old[name]) != _names(new[name]):
            text = f"the properties required with {name} in the {site.noun()} changed"
            yield site.change(site.rule("dependent-required-changed"), text)


def _names(value: Any) -> frozenset[str]:
    return frozenset(str(item) for item in value) if isinstance(value, list) else frozenset()


def _diff_schema_map(
    site: Site,
    *,
    keyword: str,
    suffix: str,
    before: dict[str, Any],
    after: dict[str, Any],
    recurse: Recurse,
) -> Iterator[Change]:
    old, new = _dict(before.get(keyword)), _dict(after.get(keyword))
    for name in sorted(old.keys() - new.keys()):
        text = f"the {keyword} entry {name} was removed from the {site.noun()}"
        yield site.change(site.rule(f"{suffix}-removed"), text)
    for name in sorted(new.keys() - old.keys()):
        text = f"the {keyword} entry {name} was added to the {site.noun()}"
        yield site.change(site.rule(f"{suffix}-added"), text)
    for name in sorted(old.keys() & new.keys()):
        yield from recurse(site.child(keyword, name), old[name], new[name])


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# -- conditionals, sub-schemas, content ------------------------------------------------------


def _diff_conditionals(
    site: Site, before: dict[str, Any], after: dict[str, Any], recurse: Recurse
) -> Iterator[Change]:
    for keyword in ("if", "then", "else"):
        yield from _presence(site, keyword, keyword, keyword in before, keyword in after)
    if (
        "if" in before
        and "if" in after
        and _any(recurse(_sub(site, "if"), before["if"], after["if"]))
    ):
        text = f"the if condition of the {site.noun()} changed"
        yield site.change(site.rule("if-changed"), text)
    for keyword in ("then", "else"):
        if keyword in before and keyword in after:
            yield from recurse(_sub(site, keyword), before[keyword], after[keyword])


def _any(changes: Iterator[Change]) -> bool:
    return next(changes, None) is not None


def _diff_sub_schema(
    site: Site,
    *,
    keyword: str,
    suffix: str,
    before: dict[str, Any],
    after: dict[str, Any],
    recurse: Recurse,
) -> Iterator[Change]:
    yield from _presence(site, keyword, suffix, keyword in before, keyword in after)
    if keyword in before and keyword in after:
        yield from recurse(_sub(site, keyword), before[keyword], after[keyword])


def _diff_content(
    site: Site, before: dict[str, Any], after: dict[str, Any], recurse: Recurse
) -> Iterator[Change]:
    for keyword, suffix in (
        ("contentMediaType", "content-media-type"),
        ("contentEncoding", "content-encoding"),
    ):
        old, new = before.get(keyword), after.get(keyword)
        if _text(old) != _text(new):
            text = f"the {keyword} of the {site.noun()} changed from {_text(old)} to {_text(new)}"
            yield site.change(site.rule(f"{suffix}-changed"), text)
    yield from _diff_sub_schema(
        site,
        keyword="contentSchema",
        suffix="content-schema",
        before=before,
        after=after,
        recurse=recurse,
    )


def _text(value: Any) -> str:
    return "none" if value is None else json.dumps(value) if not isinstance(value, str) else value
