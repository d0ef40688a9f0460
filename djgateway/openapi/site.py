"""`Site`: where in an operation a schema is being compared, and how to report changes there."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from .changes import Change, Direction, Level
from .rules import default_level

Subject = Literal["body", "property", "parameter"]


@dataclass(frozen=True)
class Site:
    """A position inside one operation: `prefix` names the container, `pointer` the sub-schema."""

    direction: Direction
    path: str
    method: str
    prefix: str
    subject: Subject = "body"
    pointer: str = ""
    label: str = ""

    @property
    def location(self) -> str:
        """The human-readable pointer stored on changes."""
        return f"{self.prefix} {self.pointer}" if self.pointer else self.prefix

    def child(self, *segments: str, subject: Subject = "property") -> Site:
        """The site of a sub-schema, e.g. `child("properties", "name")`."""
        pointer = self.pointer + "".join(f"/{_escape(segment)}" for segment in segments)
        return replace(self, pointer=pointer, subject=subject)

    def rule(self, suffix: str) -> str:
        """A schema rule id such as `request-property-enum-value-removed`."""
        return f"{self.direction}-{self.subject}-{suffix}"

    def noun(self) -> str:
        """How messages name this site, e.g. "request property items/id"."""
        if self.subject == "property":
            return f"{self.direction} property {property_name(self.pointer)}"
        where = f" at {self.pointer}" if self.pointer else ""
        if self.subject == "parameter":
            return f"{self.label}{where}"
        return f"{self.direction} body{where}"

    def change(self, rule: str, message: str, level: Level | None = None) -> Change:
        """A change at this site; the level defaults to the rule's."""
        return Change(
            rule=rule,
            level=level or default_level(rule),
            direction=self.direction,
            path=self.path,
            method=self.method,
            location=self.location,
            message=sentence(message),
        )


def property_name(pointer: str) -> str:
    """`/properties/items/items/properties/id` → `items/items/id`."""
    tokens = pointer.strip("/").split("/")
    names: list[str] = []
    index = 0
    while index < len(tokens):
        if tokens[index] == "properties" and index + 1 < len(tokens):
            index += 1
        names.append(tokens[index].replace("~1", "/").replace("~0", "~"))
        index += 1
    return "/".join(names)


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")
