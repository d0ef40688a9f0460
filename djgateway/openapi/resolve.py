"""Local `$ref` resolution within one OpenAPI document.

Only references into the same document (`#/...`) are followed. A reference that is already
being expanded further up (a cycle) stays in place as an opaque `{"$ref": ...}` leaf.
"""

from __future__ import annotations

from typing import Any

REF = "$ref"


class RefResolutionError(LookupError):
    """A local `$ref` points at nothing."""


def resolve_refs(document: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `document` with every local `$ref` expanded (cycles left as leaves)."""
    resolver = Resolver(document)
    return {key: resolver.expand(value) for key, value in document.items()}


def lookup_pointer(document: dict[str, Any], ref: str) -> Any:
    """Follow a local JSON pointer such as `#/components/schemas/Pet`."""
    if not ref.startswith("#"):
        raise RefResolutionError(f"only local references are supported: {ref!r}")
    node: Any = document
    for token in _pointer_tokens(ref[1:]):
        node = _step(node, token, ref)
    return node


def _pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.lstrip("/").split("/")]


def _step(node: Any, token: str, ref: str) -> Any:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise RefResolutionError(f"unresolvable reference {ref!r}")


def is_local_ref(node: Any) -> bool:
    """Whether `node` is a reference object pointing into the same document."""
    return isinstance(node, dict) and isinstance(node.get(REF), str) and node[REF].startswith("#")


class Resolver:
    """Expands local references of one document, guarding against cycles."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        # Expansions met without cutting a cycle are the same from anywhere: expanded once and
        # shared (the differ treats the tree as read-only), they make a large document's
        # expansion and its comparison with another several times faster.
        self._expanded: dict[str, Any] = {}
        self._cuts = 0

    def expand(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        """Copy `node`, replacing references by their (expanded, shared) targets."""
        if is_local_ref(node):
            return self._expand_ref(node, stack)
        if isinstance(node, dict):
            return {key: self.expand(value, stack) for key, value in node.items()}
        if isinstance(node, list):
            return [self.expand(item, stack) for item in node]
        return node

    def _expand_ref(self, node: dict[str, Any], stack: tuple[str, ...]) -> Any:
        ref: str = node[REF]
        if ref in stack:
            self._cuts += 1
            return dict(node)
        if ref in self._expanded:
            target = self._expanded[ref]
        else:
            cuts = self._cuts
            target = self.expand(lookup_pointer(self.document, ref), (*stack, ref))
            if self._cuts == cuts:
                self._expanded[ref] = target
        siblings = {key: self.expand(value, stack) for key, value in node.items() if key != REF}
        if siblings and isinstance(target, dict):
            return {**target, **siblings}
        return target
