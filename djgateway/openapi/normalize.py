"""Schema normalisation: fold nullability, `allOf` and single-branch unions into one `Node`.

All spellings of "nullable X" become the same node: `nullable: true`, `type: [X, "null"]`,
`anyOf`/`oneOf` with a `{"type": "null"}` branch (what pydantic emits for `Optional[X]`), and an
`enum`/`const` containing null. `pattern: ""` is no pattern. Normalisation is shallow:
sub-schemas stay raw until visited. `readOnly`/`writeOnly` properties stay in place: the
differ reports their mutability changes and guards what happens inside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .resolve import REF
from .rules import LOWER_BOUNDS, UPPER_BOUNDS

UNIONS = ("anyOf", "oneOf")
# The flag that hides a property from one direction: readOnly from requests, writeOnly from
# responses.
HIDDEN = {"request": "readOnly", "response": "writeOnly"}


@dataclass(frozen=True)
class Node:
    """A normalised schema; `types` never contains "null", an empty set means "any type"."""

    types: frozenset[str] = frozenset()
    nullable: bool = False
    keywords: dict[str, Any] = field(default_factory=dict)
    ref: str = ""
    all_of: tuple[Any, ...] = ()  # the raw `allOf` members, already merged into the node

    @property
    def properties(self) -> dict[str, Any]:
        """Property name → raw sub-schema."""
        properties = self.keywords.get("properties")
        return properties if isinstance(properties, dict) else {}

    @property
    def required(self) -> frozenset[str]:
        """Names of the required properties."""
        return frozenset(self.keywords.get("required") or ())

    @property
    def enum(self) -> list[Any] | None:
        """The allowed values, or None when the schema has no enum."""
        values = self.keywords.get("enum")
        return list(values) if isinstance(values, list) else None

    def as_schema(self) -> dict[str, Any]:
        """A raw schema equivalent to this node, nullability left out."""
        return {**self.keywords, "type": sorted(self.types)} if self.types else dict(self.keywords)

    def branches(self, keyword: str) -> list[Any]:
        """The raw members of `anyOf` or `oneOf`."""
        members = self.keywords.get(keyword)
        return list(members) if isinstance(members, list) else []


def normalize(schema: Any, direction: str) -> Node:
    """Normalise one raw (already `$ref`-expanded) schema as seen from `direction`."""
    if not isinstance(schema, dict):
        return Node()
    if REF in schema:
        return Node(ref=str(schema[REF]))
    keywords = dict(schema)
    members = keywords.pop("allOf", None)
    members = members if isinstance(members, list) else []
    node = _fold_unions(_own_node(keywords), direction)
    parts = [normalize(member, direction) for member in members]
    for part in parts:
        node = merge(node, part)
    if parts and all(part.nullable for part in parts):
        node = with_nullable(node, True)
    return replace(_infer_types(node), all_of=tuple(members))


def is_null_schema(schema: Any) -> bool:
    """Whether `schema` only admits null (`{"type": "null"}`, `{"enum": [null]}`, ...)."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return kind in ("null", ["null"]) or schema.get("enum") == [None] or _const_is_null(schema)


def _const_is_null(schema: dict[str, Any]) -> bool:
    return "const" in schema and schema["const"] is None


def _own_node(keywords: dict[str, Any]) -> Node:
    nullable = keywords.pop("nullable", False) is True
    types = keywords.pop("type", None)
    names = [types] if isinstance(types, str) else list(types or [])
    if "const" in keywords and "enum" not in keywords:
        keywords["enum"] = [keywords["const"]]
    enum = keywords.get("enum")
    if isinstance(enum, list) and None in enum:
        nullable = True
        keywords["enum"] = [value for value in enum if value is not None]
    nullable = nullable or "null" in names
    if not keywords.get("pattern"):
        keywords.pop("pattern", None)  # `pattern: ""` matches everything: no pattern
    return Node(frozenset(name for name in names if name != "null"), nullable, keywords)


def _fold_unions(node: Node, direction: str) -> Node:
    for keyword in UNIONS:
        members = node.branches(keyword)
        if members:
            node = _fold_union(node, keyword, members, direction)
    return node


def _fold_union(node: Node, keyword: str, members: list[Any], direction: str) -> Node:
    branches = [member for member in members if not is_null_schema(member)]
    nullable = node.nullable or len(branches) < len(members)
    keywords = {key: value for key, value in node.keywords.items() if key != keyword}
    if len(branches) != 1:
        return Node(node.types, nullable, {**keywords, keyword: branches})
    only = normalize(branches[0], direction)
    merged = merge(Node(node.types, nullable, keywords), only)
    return with_nullable(merged, nullable or only.nullable)


def with_nullable(node: Node, nullable: bool) -> Node:
    """A copy of `node` with `nullable` replaced."""
    return Node(node.types, nullable, node.keywords, node.ref)


def merge(first: Node, second: Node) -> Node:
    """Conjunction of two nodes (as in `allOf`); nullability is left to the caller."""
    keywords = dict(first.keywords)
    for key, value in second.keywords.items():
        keywords[key] = _merge_keyword(key, keywords[key], value) if key in keywords else value
    return Node(_intersect_types(first.types, second.types), first.nullable, keywords, first.ref)


def _merge_keyword(key: str, first: Any, second: Any) -> Any:
    if key == "properties" and isinstance(first, dict) and isinstance(second, dict):
        return _merge_properties(first, second)
    if key == "required":
        return sorted({*first, *second})
    if key == "enum" and isinstance(first, list) and isinstance(second, list):
        return [value for value in first if value in second]
    if key in UPPER_BOUNDS and _both_numbers(first, second):
        return min(first, second)
    if key in LOWER_BOUNDS and _both_numbers(first, second):
        return max(first, second)
    return first


def _merge_properties(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    merged = dict(first)
    for name, schema in second.items():
        merged[name] = {"allOf": [merged[name], schema]} if name in merged else schema
    return merged


def _both_numbers(*values: Any) -> bool:
    return all(isinstance(value, int | float) and not isinstance(value, bool) for value in values)


def _intersect_types(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    if not first or not second:
        return first or second
    common = set(first & second)
    if "integer" in first | second and "number" in first | second:
        common.discard("number")
        common.add("integer")
    return frozenset(common) or first


def _infer_types(node: Node) -> Node:
    if node.types:
        return node
    keywords = node.keywords
    if "properties" in keywords or "additionalProperties" in keywords:
        return Node(frozenset({"object"}), node.nullable, keywords, node.ref)
    if "items" in keywords:
        return Node(frozenset({"array"}), node.nullable, keywords, node.ref)
    return Node(union_types(node), node.nullable, keywords, node.ref)


def union_types(node: Node) -> frozenset[str]:
    """The types of a union whose every branch declares a type; otherwise "any"."""
    branches = node.branches("anyOf") + node.branches("oneOf")
    types = [_declared_types(branch) for branch in branches]
    if not types or not all(types):
        return frozenset()
    return frozenset().union(*types)


def _declared_types(schema: Any) -> frozenset[str]:
    if not isinstance(schema, dict):
        return frozenset()
    kind = schema.get("type")
    names = [kind] if isinstance(kind, str) else list(kind or [])
    return frozenset(name for name in names if name != "null")


def has_flag(schema: Any, flag: str) -> bool:
    """Whether `schema` (or one of its `allOf`/`anyOf`/`oneOf` members) sets `flag: true`."""
    if not isinstance(schema, dict):
        return False
    if schema.get(flag) is True:
        return True
    return any(has_flag(member, flag) for member in _members(schema))


def _members(schema: dict[str, Any]) -> Iterable[Any]:
    for keyword in ("allOf", *UNIONS):
        members = schema.get(keyword)
        if isinstance(members, list):
            yield from members
