"""Compare two schemas at one `Site`, recursing into properties, items, unions and the other
sub-schemas (keyword_diff).

readOnly properties are invisible to requests and writeOnly ones to responses: their own
appearance or disappearance is not a change there, a flip of the flag is one of oasdiff's
mutability rules, and whatever changes inside them is reported at INFO (oasdiff's guards),
under oasdiff's dedicated read-only / write-only ids where it has one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from .changes import Change, Level
from .keyword_diff import diff_keywords
from .normalize import HIDDEN, UNIONS, Node, has_flag, normalize, union_types
from .patterns import is_generalization
from .rules import LOWER_BOUNDS, UPPER_BOUNDS
from .site import Site

_FORMAT_WIDENINGS = {("int32", "int64"), ("float", "double")}
_TYPE_SUFFIX = {"wider": "type-generalized", "narrower": "type-specialized"}


def diff_schema(site: Site, base: Any, revision: Any) -> Iterator[Change]:
    """Yield the changes between two raw schemas seen from `site`."""
    old, new = normalize(base, site.direction), normalize(revision, site.direction)
    if old.ref or new.ref:
        return
    yield from _diff_nullable(site, old, new)
    yield from _diff_default(site, old, new)
    yield from _diff_discriminator(site, old, new)
    yield from _diff_extensible_enum(site, old, new)
    yield from _diff_all_of(site, old, new)
    if bool(_union(old)[1]) != bool(_union(new)[1]):
        yield from _diff_union_shape(site, old, new)
        return
    yield from _diff_type(site, old, new)
    yield from _diff_enum(site, old, new)
    yield from _diff_bounds(site, old, new)
    yield from _diff_pattern(site, old, new)
    yield from _diff_additional_properties(site, old, new)
    yield from _diff_properties(site, old, new)
    yield from _diff_items(site, old, new)
    yield from _diff_unions(site, old, new)
    yield from diff_keywords(site, old, new, diff_schema)


# -- type and format ---------------------------------------------------------------------------


def _diff_type(site: Site, old: Node, new: Node) -> Iterator[Change]:
    if _types_of_branches(old) and _types_of_branches(new):
        return  # union types follow their branches, whose changes are reported themselves
    if old.types != new.types:
        relation = _type_relation(old.types, new.types)
        what, before, after = "type", _type_name(old.types), _type_name(new.types)
        if _is_type_list_change(old.types, new.types, relation):
            suffix = "list-of-types-widened" if relation == "wider" else "list-of-types-narrowed"
            text = f"the list of types of the {site.noun()} changed from {before} to {after}"
            yield site.change(site.rule(suffix), text)
            return
    else:
        relation = _format_relation(old.keywords.get("format"), new.keywords.get("format"))
        what, before, after = "format", _format_name(old), _format_name(new)
    if relation is None:
        return
    rule = site.rule(_type_suffix(site, relation))
    yield site.change(rule, f"the {what} of the {site.noun()} changed from {before} to {after}")


def _types_of_branches(node: Node) -> bool:
    return bool(_union(node)[1]) and node.types == union_types(node)


def _is_type_list_change(old: frozenset[str], new: frozenset[str], relation: str | None) -> bool:
    """A 3.1 list of types that gained or lost members (integer → number is a generalisation)."""
    listed = len(old) > 1 or len(new) > 1
    return listed and bool(old) and bool(new) and relation in ("wider", "narrower")


def _type_suffix(site: Site, relation: str) -> str:
    if site.direction == "request" and relation == "narrower":
        return "type-changed"
    return _TYPE_SUFFIX.get(relation, "type-changed")


def _covers(outer: frozenset[str], inner: frozenset[str]) -> bool:
    """Whether every value of type `inner` is also of type `outer` (empty means any)."""
    if not outer:
        return True
    if not inner:
        return False
    return all(kind in outer or (kind == "integer" and "number" in outer) for kind in inner)


def _type_relation(old: frozenset[str], new: frozenset[str]) -> str | None:
    wider, narrower = _covers(new, old), _covers(old, new)
    if wider and narrower:
        return None
    return "wider" if wider else "narrower" if narrower else "incomparable"


def _format_relation(old: Any, new: Any) -> str | None:
    if old == new:
        return None
    if new is None or (old, new) in _FORMAT_WIDENINGS:
        return "wider"
    if old is None or (new, old) in _FORMAT_WIDENINGS:
        return "narrower"
    return "incomparable"


def _type_name(types: frozenset[str]) -> str:
    return "/".join(sorted(types)) or "any"


def _format_name(node: Node) -> str:
    return str(node.keywords.get("format") or "none")


# -- nullability, enum, bounds, pattern ------------------------------------------------------


def _diff_nullable(site: Site, old: Node, new: Node) -> Iterator[Change]:
    if old.nullable == new.nullable:
        return
    became = "became-nullable" if new.nullable else "became-not-nullable"
    yield site.change(site.rule(became), f"the {site.noun()} {became.replace('-', ' ')}")


def _diff_enum(site: Site, old: Node, new: Node) -> Iterator[Change]:
    before, after = old.enum, new.enum
    if before is None and after is not None:
        yield site.change(site.rule("became-enum"), f"the {site.noun()} became an enum")
    elif before is not None and after is None:
        yield site.change(site.rule("enum-removed"), f"the {site.noun()} is no longer an enum")
    elif before is not None and after is not None:
        yield from _enum_values(site, "removed", before, after, "from")
        yield from _enum_values(site, "added", after, before, "to")


def _enum_values(
    site: Site, action: str, values: list[Any], others: list[Any], preposition: str
) -> Iterator[Change]:
    known = {_value_key(value) for value in others}
    for value in values:
        if _value_key(value) not in known:
            value_text = _value_key(value)
            text = f"the enum value {value_text} was {action} {preposition} the {site.noun()}"
            yield site.change(site.rule(f"enum-value-{action}"), text)


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _diff_bounds(site: Site, old: Node, new: Node) -> Iterator[Change]:
    for keyword, name in (UPPER_BOUNDS | LOWER_BOUNDS).items():
        before, after = _bound(old, keyword), _bound(new, keyword)
        action = _bound_action(before, after)
        if action is not None:
            text = f"the {keyword} of the {site.noun()} was {action} ({before} → {after})"
            yield site.change(site.rule(f"{name}-{action}"), text)


def _bound(node: Node, keyword: str) -> int | float | None:
    value = node.keywords.get(keyword)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _bound_action(before: float | None, after: float | None) -> str | None:
    if before == after:
        return None
    if before is None:
        return "set"
    if after is None:
        return "unset"
    return "increased" if after > before else "decreased"


def _diff_pattern(site: Site, old: Node, new: Node) -> Iterator[Change]:
    before, after = old.keywords.get("pattern"), new.keywords.get("pattern")
    if before == after:
        return
    action = "added" if before is None else "removed" if after is None else "changed"
    general = action == "changed" and is_generalization(str(before), str(after))
    if general and site.direction == "request":
        text = f"the pattern of the {site.noun()} was generalised ({before} → {after})"
        yield site.change(site.rule("pattern-generalized"), text)
        return
    text = f"the pattern of the {site.noun()} was {action} ({before} → {after})"
    yield site.change(site.rule(f"pattern-{action}"), text)


# -- defaults, discriminator, x-extensible-enum ------------------------------------------------


def _diff_default(site: Site, old: Node, new: Node) -> Iterator[Change]:
    if site.subject == "parameter":  # parameter defaults are the parameter rules' business
        return
    before, after = old.keywords, new.keywords
    if "default" not in before and "default" not in after:
        return
    if "default" not in before:
        action, text = "added", f"a default value was added to the {site.noun()}"
    elif "default" not in after:
        action, text = "removed", f"the default value of the {site.noun()} was removed"
    elif _value_key(before["default"]) != _value_key(after["default"]):
        old_value, new_value = _value_key(before["default"]), _value_key(after["default"])
        action = "changed"
        text = f"the default value of the {site.noun()} changed from {old_value} to {new_value}"
    else:
        return
    yield site.change(site.rule(f"default-value-{action}"), text)


def _diff_discriminator(site: Site, old: Node, new: Node) -> Iterator[Change]:
    before, after = old.keywords.get("discriminator"), new.keywords.get("discriminator")
    if not isinstance(before, dict) or not isinstance(after, dict):
        if isinstance(before, dict) != isinstance(after, dict):
            action = "added" if isinstance(after, dict) else "removed"
            text = f"the discriminator of the {site.noun()} was {action}"
            yield site.change(site.rule(f"discriminator-{action}"), text)
        return
    if before.get("propertyName") != after.get("propertyName"):
        names = f"{before.get('propertyName')} → {after.get('propertyName')}"
        text = f"the discriminator property of the {site.noun()} was renamed ({names})"
        yield site.change(site.rule("discriminator-property-name-changed"), text)
    old_map, new_map = _mapping(before), _mapping(after)
    changed = sorted(key for key in old_map.keys() & new_map.keys() if old_map[key] != new_map[key])
    for action, keys in (
        ("added", sorted(new_map.keys() - old_map.keys())),
        ("deleted", sorted(old_map.keys() - new_map.keys())),
        ("changed", changed),
    ):
        if keys:
            text = f"discriminator mapping {', '.join(keys)} of the {site.noun()} {action}"
            yield site.change(site.rule(f"discriminator-mapping-{action}"), text)


def _mapping(discriminator: dict[str, Any]) -> dict[str, str]:
    mapping = discriminator.get("mapping")
    return {str(k): str(v) for k, v in mapping.items()} if isinstance(mapping, dict) else {}


def _diff_extensible_enum(site: Site, old: Node, new: Node) -> Iterator[Change]:
    """Zalando's open enum: clients must accept new values, so only a request-side removal
    (a value clients send that is no longer known) breaks."""
    before, after = old.keywords.get("x-extensible-enum"), new.keywords.get("x-extensible-enum")
    if site.direction != "request" or not isinstance(before, list) or not isinstance(after, list):
        return
    known = {_value_key(value) for value in after}
    for value in before:
        if _value_key(value) not in known:
            where = f"from the {site.noun()}"
            text = f"the x-extensible-enum value {_value_key(value)} was removed {where}"
            yield site.change(site.rule("x-extensible-enum-value-removed"), text)


# -- allOf ---------------------------------------------------------------------------------

# Keywords that describe a value without constraining it: an allOf member made only of these
# changes nothing (oasdiff's "annotation-only" subschemas).
_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "externalDocs", "$comment", "deprecated"}
    | {"default"}
)


def _diff_all_of(site: Site, old: Node, new: Node) -> Iterator[Change]:
    """Members added to or removed from an `allOf` present on both sides.

    The merged schema is compared as well, so an added member that requires a property is
    also a new required property; moving properties into or out of an `allOf` (one side has
    none) is judged by the merged comparison alone.
    """
    if not old.all_of or not new.all_of:
        return
    removed, added = _unpaired(list(old.all_of), list(new.all_of))
    for action, members in (("added", added), ("removed", removed)):
        notes = [member for member in members if _annotation_only(member)]
        real = len(members) - len(notes)
        preposition = "to" if action == "added" else "from"
        for suffix, count in (
            (f"all-of-{action}", real),
            (f"all-of-{action}-annotation-only", len(notes)),
        ):
            if count:
                text = f"{count} allOf member(s) {action} {preposition} the {site.noun()}"
                yield site.change(site.rule(suffix), text)


def _unpaired(before: list[Any], after: list[Any]) -> tuple[list[Any], list[Any]]:
    """Members left over once equal members, then same-titled ones, then the rest by position
    are paired (a paired member that changed is compared through the merged schema)."""
    remaining = list(after)
    unmatched: list[Any] = []
    for member in before:
        key = _value_key(member)
        match = next((i for i, other in enumerate(remaining) if _value_key(other) == key), None)
        if match is None:
            unmatched.append(member)
        else:
            remaining.pop(match)
    leftover: list[Any] = []
    for member in unmatched:
        title = _title(member)
        match = next((i for i, o in enumerate(remaining) if title and _title(o) == title), None)
        if match is None:
            leftover.append(member)
        else:
            remaining.pop(match)
    common = min(len(leftover), len(remaining))
    return leftover[common:], remaining[common:]


def _title(schema: Any) -> str:
    title = schema.get("title") if isinstance(schema, dict) else None
    return title if isinstance(title, str) else ""


def _annotation_only(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return schema is True
    return all(key in _ANNOTATIONS or key.startswith("x-") for key in schema)


# -- objects, arrays, unions ---------------------------------------------------------------


def _diff_additional_properties(site: Site, old: Node, new: Node) -> Iterator[Change]:
    key = "additionalProperties"
    before, after = old.keywords.get(key), new.keywords.get(key)
    if before is not False and after is False:
        text = f"the {site.noun()} no longer allows additional properties"
        yield site.change(site.rule("additional-properties-closed"), text)
    elif before is False and after is not False:
        text = f"the {site.noun()} now allows additional properties"
        yield site.change(site.rule("additional-properties-opened"), text)
    elif isinstance(before, dict) and isinstance(after, dict):
        yield from diff_schema(site.child(key), before, after)


def _diff_properties(site: Site, old: Node, new: Node) -> Iterator[Change]:
    before, after = old.properties, new.properties
    hidden = HIDDEN.get(site.direction, "")
    for name in sorted(before.keys() - after.keys()):
        change = _property_removed(site.child("properties", name), name in old.required)
        yield from _guard(site, [change], has_flag(before[name], hidden))
    for name in sorted(after.keys() - before.keys()):
        child = site.child("properties", name)
        change = _property_added(child, name in new.required, _has_default(after[name]))
        yield from _guard(site, [change], has_flag(after[name], hidden))
    for name in sorted(before.keys() & after.keys()):
        child = site.child("properties", name)
        yield from _diff_mutability(child, before[name], after[name], name in old.required)
        changes = [
            *_diff_required(child, name in old.required, name in new.required, after[name]),
            *diff_schema(child, before[name], after[name]),
        ]
        guarded = has_flag(before[name], hidden) or has_flag(after[name], hidden)
        yield from _guard(site, changes, guarded)


_MUTABILITY_FLAGS = (("readOnly", "read-only"), ("writeOnly", "write-only"))


def _diff_mutability(site: Site, before: Any, after: Any, required: bool) -> Iterator[Change]:
    kind = "required" if required else "optional"
    for flag, name in _MUTABILITY_FLAGS:
        old, new = has_flag(before, flag), has_flag(after, flag)
        if old != new:
            became = name if new else f"not-{name}"
            text = f"the {kind} {site.noun()} became {became.replace('-', ' ')}"
            yield site.change(f"{site.direction}-{kind}-property-became-{became}", text)


# oasdiff's dedicated ids for changes in a property the direction cannot see.
_READ_ONLY_IDS = {
    f"request-property-{suffix}": f"request-read-only-property-{suffix}"
    for suffix in (
        "enum-value-removed",
        "max-decreased",
        "exclusive-max-decreased",
        "max-length-decreased",
        "min-increased",
        "exclusive-min-increased",
    )
}
_WRITE_ONLY_IDS = {
    "response-property-enum-value-added": "response-write-only-property-enum-value-added",
    "response-property-became-optional": "response-write-only-property-became-optional",
    "response-property-became-required": "response-write-only-property-became-required",
    **{
        f"response-{kind}-property-{action}": f"response-{kind}-write-only-property-{action}"
        for kind in ("required", "optional")
        for action in ("added", "removed")
    },
}


def _guard(site: Site, changes: Iterable[Change], hidden: bool) -> Iterator[Change]:
    """Changes of a property hidden from this direction: a request ignores readOnly properties
    appearing or vanishing, everything else is INFO under the dedicated id if oasdiff has one."""
    if not hidden:
        yield from changes
        return
    renames = _READ_ONLY_IDS if site.direction == "request" else _WRITE_ONLY_IDS
    for change in changes:
        if change.rule.startswith("new-") or change.rule == "request-property-removed":
            continue  # only requests have these ids
        yield replace(change, rule=renames.get(change.rule, change.rule), level=Level.INFO)


def _has_default(schema: Any) -> bool:
    return "default" in normalize(schema, "request").keywords


def _property_removed(site: Site, required: bool) -> Change:
    name = site.noun()
    if site.direction == "request":
        return site.change("request-property-removed", f"the {name} was removed")
    kind = "required" if required else "optional"
    return site.change(f"response-{kind}-property-removed", f"the {kind} {name} was removed")


def _property_added(site: Site, required: bool, has_default: bool) -> Change:
    kind = "required" if required else "optional"
    name = site.noun()
    if site.direction == "response":
        return site.change(f"response-{kind}-property-added", f"added the {kind} {name}")
    suffix = "-with-default" if required and has_default else ""
    return site.change(f"new-{kind}-request-property{suffix}", f"added the new {kind} {name}")


def _diff_required(site: Site, before: bool, after: bool, schema: Any) -> Iterator[Change]:
    if before == after:
        return
    became = "became-required" if after else "became-optional"
    with_default = after and site.direction == "request" and _has_default(schema)
    rule = f"{site.direction}-property-{became}{'-with-default' if with_default else ''}"
    yield site.change(rule, f"the {site.noun()} {became.replace('-', ' ')}")


def _diff_items(site: Site, old: Node, new: Node) -> Iterator[Change]:
    before, after = old.keywords.get("items"), new.keywords.get("items")
    if isinstance(before, dict) and isinstance(after, dict):
        yield from diff_schema(site.child("items", subject=site.subject), before, after)


def _union(node: Node) -> tuple[str, list[Any]]:
    """The union keyword of `node` and its branches (empty when `node` is not a union)."""
    for keyword in UNIONS:
        if branches := node.branches(keyword):
            return keyword, branches
    return UNIONS[0], []


def _diff_unions(site: Site, old: Node, new: Node) -> Iterator[Change]:
    (old_keyword, before), (new_keyword, after) = _union(old), _union(new)
    if not before or not after:
        return
    pairs, removed, added = _pair_branches(before, after)
    for old_index, new_index in pairs:
        child = site.child(new_keyword, str(new_index), subject=site.subject)
        yield from diff_schema(child, before[old_index], after[new_index])
    yield from _branches_changed(site, old_keyword, removed, "removed")
    yield from _branches_changed(site, new_keyword, added, "added")


def _diff_union_shape(site: Site, old: Node, new: Node) -> Iterator[Change]:
    """A union on one side only: pair the plain schema with its closest branch."""
    union_is_new = bool(_union(new)[1])
    keyword, branches = _union(new if union_is_new else old)
    plain = (old if union_is_new else new).as_schema()
    best = _closest_branch(site.child(keyword, "0", subject=site.subject), branches, plain)
    child = site.child(keyword, str(best), subject=site.subject)
    pair = (plain, branches[best]) if union_is_new else (branches[best], plain)
    yield from diff_schema(child, *pair)
    others = [index for index in range(len(branches)) if index != best]
    yield from _branches_changed(site, keyword, others, "added" if union_is_new else "removed")


def _closest_branch(site: Site, branches: list[Any], plain: dict[str, Any]) -> int:
    """The branch that differs least from `plain`: fewest breaking changes, then fewest changes."""

    def cost(index: int) -> tuple[int, int]:
        changes = list(diff_schema(site, branches[index], plain))
        return sum(change.breaking for change in changes), len(changes)

    return min(range(len(branches)), key=cost)


def _branches_changed(
    site: Site, keyword: str, indexes: list[int], action: str
) -> Iterator[Change]:
    rule = site.rule(f"{keyword.replace('Of', '-of')}-{action}")
    preposition = "from" if action == "removed" else "to"
    for index in indexes:
        text = f"branch {index} was {action} {preposition} the {keyword} of the {site.noun()}"
        yield site.change(rule, text)


def _pair_branches(
    before: list[Any], after: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair union branches by title when every branch has a unique one, else by position."""
    old_titles, new_titles = _titles(before), _titles(after)
    if old_titles is None or new_titles is None:
        common = min(len(before), len(after))
        pairs = [(index, index) for index in range(common)]
        return pairs, list(range(common, len(before))), list(range(common, len(after)))
    pairs = [(old_titles[t], new_titles[t]) for t in sorted(old_titles.keys() & new_titles.keys())]
    removed = sorted(old_titles[t] for t in old_titles.keys() - new_titles.keys())
    added = sorted(new_titles[t] for t in new_titles.keys() - old_titles.keys())
    return pairs, removed, added


def _titles(branches: list[Any]) -> dict[str, int] | None:
    titles = [branch.get("title") if isinstance(branch, dict) else None for branch in branches]
    if not all(isinstance(title, str) for title in titles) or len(set(titles)) != len(titles):
        return None
    return {str(title): index for index, title in enumerate(titles)}
