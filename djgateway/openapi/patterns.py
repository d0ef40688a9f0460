"""Decide, soundly and only in easy cases, whether one `pattern` is more general than another.

JSON Schema patterns match anywhere in the string (search, not full match). So a new pattern
is at least as general as the old one when every top-level alternative of the old pattern is
kept in the new one, possibly with its `^`/`$` anchors dropped (an anchor only ever removes
matches), or when the new pattern matches every string (`.*`-like). Anything else counts as
a change: inclusion of regular languages is not something to guess.
"""

from __future__ import annotations

# Unanchored patterns that match the empty string at the start of any input, so any string.
_UNIVERSAL = frozenset({".*", "^.*", ".*$", "(.*)", "^(.*)", "[\\s\\S]*", "^[\\s\\S]*$"})


def is_universal(pattern: str) -> bool:
    """Whether `pattern` matches every string (only the `.*`-like spellings are recognised)."""
    return pattern in _UNIVERSAL


def is_generalization(old: str, new: str) -> bool:
    """Whether every string matching `old` provably also matches `new`."""
    kept = set(alternatives(new))
    if old == new or any(is_universal(alternative) for alternative in kept):
        return True
    return all(_covered(alternative, kept) for alternative in alternatives(old))


def _covered(alternative: str, kept: set[str]) -> bool:
    return any(candidate in kept for candidate in _anchor_relaxations(alternative))


def _anchor_relaxations(alternative: str) -> list[str]:
    """`alternative` itself and its spellings with a leading `^` and/or trailing `$` dropped."""
    starts = [alternative]
    if alternative.startswith("^"):
        starts.append(alternative[1:])
    relaxed = list(starts)
    for start in starts:
        if _ends_with_anchor(start):
            relaxed.append(start[:-1])
    return relaxed


def _ends_with_anchor(pattern: str) -> bool:
    if not pattern.endswith("$"):
        return False
    backslashes = len(pattern[:-1]) - len(pattern[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def alternatives(pattern: str) -> list[str]:
    """Split `pattern` on its top-level `|` (outside groups, classes and escapes)."""
    parts: list[str] = []
    depth, in_class, escaped, start = 0, False, False, 0
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts
