"""Ownership: which exposed model nests under which, and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigurationError
from ..introspect import FieldInfo, ModelInfo
from ..resources import Resource
from .problems import Problems


@dataclass(frozen=True)
class Nesting:
    parent_field: FieldInfo | None
    reason: str

    @property
    def parent_label(self) -> str | None:
        if self.parent_field is None or self.parent_field.relation is None:
            return None
        return self.parent_field.relation.target


def choose_parents(
    models: Mapping[str, ModelInfo],
    overrides: Mapping[str, Resource],
    problems: Problems | None = None,
) -> dict[str, Nesting]:
    """Decide the parent of every exposed model (``models`` holds only exposed ones).

    With ``problems``, a bad override is recorded there and its model stays top-level.
    """
    decisions: dict[str, Nesting] = {}
    for label, info in models.items():
        try:
            decisions[label] = _decide(info, models, overrides.get(label, Resource()))
        except ConfigurationError as error:
            if problems is None:
                raise
            problems.found.extend(error.problems)
            decisions[label] = Nesting(None, f"top-level: {error.message}")
    _break_cycles(decisions, overrides)
    return decisions


def _decide(info: ModelInfo, models: Mapping[str, ModelInfo], resource: Resource) -> Nesting:
    if resource.parent_is_set:
        return _explicit(info, models, resource.parent)
    candidates = [f for f in info.foreign_keys if _owns(f, info, models)]
    if len(candidates) == 1:
        (field,) = candidates
        if _is_lookup_table(models[field.relation.target]):  # type: ignore[union-attr]
            return Nesting(
                None,
                f"top-level: '{field.name}' points to a lookup table (its primary key is chosen "
                "by people, like a country code), not an owner; nest under it with "
                "Resource(parent=...)",
            )
        return Nesting(field, f"nested: '{field.name}' is its only required CASCADE foreign key")
    if candidates:
        names = ", ".join(f"'{f.name}'" for f in candidates)
        return Nesting(
            None,
            f"top-level: several candidate parents ({names}); choose one with Resource(parent=...)",
        )
    return Nesting(None, "top-level: no required CASCADE foreign key to an exposed model")


def _is_lookup_table(target: ModelInfo) -> bool:
    """A table keyed by a natural key that nobody generates (ISO country codes, currency
    codes) lists shared values; rows pointing at it are not owned by its rows."""
    pk = target.pk
    return not pk.auto and not pk.has_default and pk.relation is None


def _owns(field: FieldInfo, info: ModelInfo, models: Mapping[str, ModelInfo]) -> bool:
    relation = field.relation
    return (
        relation is not None
        and relation.kind == "foreign_key"
        and relation.on_delete == "CASCADE"
        and not field.null
        and relation.target in models
        and relation.target != info.label
    )


def _explicit(info: ModelInfo, models: Mapping[str, ModelInfo], parent: str | None) -> Nesting:
    if parent is None:
        return Nesting(None, "top-level: forced by Resource(parent=None)")
    try:
        field = info.field(parent)
    except KeyError:
        raise ConfigurationError(
            "djgateway.E003", f"{info.label}: Resource(parent={parent!r}) names no field"
        ) from None
    relation = field.relation
    if relation is None or relation.kind == "many_to_many":
        raise ConfigurationError(
            "djgateway.E003",
            f"{info.label}: Resource(parent={parent!r}) is not a foreign key",
        )
    if relation.target not in models or relation.target == info.label:
        raise ConfigurationError(
            "djgateway.E003",
            f"{info.label}: Resource(parent={parent!r}) points to {relation.target}, "
            "which is not another exposed model",
        )
    return Nesting(field, f"nested: chosen by Resource(parent={parent!r})")


def _break_cycles(decisions: dict[str, Nesting], overrides: Mapping[str, Resource]) -> None:
    for start in sorted(decisions):
        seen: list[str] = []
        label: str | None = start
        while label is not None and label not in seen:
            seen.append(label)
            label = decisions[label].parent_label
        if label is None:
            continue
        cycle = seen[seen.index(label) :]
        explicit = [m for m in cycle if overrides.get(m, Resource()).parent_is_set]
        if len(explicit) == len(cycle):
            raise ConfigurationError(
                "djgateway.E004", f"Resource(parent=...) overrides form a cycle: {cycle}"
            )
        path = " → ".join([*cycle, cycle[0]])
        for member in cycle:
            if member not in explicit:
                decisions[member] = Nesting(None, f"top-level: nesting would form a cycle ({path})")
