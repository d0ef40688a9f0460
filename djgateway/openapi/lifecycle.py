"""Lifecycle policy, as oasdiff applies it: `x-stability-level`, `deprecated` and `x-sunset`.

- `x-stability-level` is draft < alpha < beta < stable (absent means stable). Breaking changes
  to draft and alpha operations are not reported; lowering the level of a beta or stable one is.
- Removing a deprecated operation or parameter is fine once its `x-sunset` date has passed
  (and fine at any time when it has no sunset date); removing it earlier is an error.
- With a deprecation policy (`DiffOptions.deprecation_days_stable` / `_beta`), deprecating
  requires an `x-sunset` at least that many days ahead, and a sunset may not be moved earlier
  than that. Draft and alpha operations have no policy.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from .changes import Change, DiffOptions
from .site import Site

STABILITY_ORDER = {"draft": 0, "alpha": 1, "beta": 2, "stable": 3}
UNSTABLE = frozenset({"draft", "alpha"})
SUNSET = "x-sunset"
STABILITY = "x-stability-level"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def stability_level(node: dict[str, Any]) -> str | None:
    """The `x-stability-level` of an operation: "" when absent, None when not a valid level."""
    value = node.get(STABILITY)
    if value is None:
        return ""
    return value if isinstance(value, str) and value in STABILITY_ORDER else None


def in_scope(stability: str | None) -> bool:
    """Whether changes to an operation at this level are checked (invalid levels are)."""
    return stability not in UNSTABLE


def sunset_date(value: Any) -> datetime.date:
    """Parse an `x-sunset`: an RFC 3339 date or date-time; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):  # YAML loaders turn unquoted dates into dates
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        return datetime.date.fromisoformat(value)
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        return datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00")).date()
    raise ValueError(f"the sunset date {value!r} is not an RFC 3339 date")


class LifecycleRules(NamedTuple):
    """The rule ids one kind of element (operation, path, parameter) reports lifecycle with."""

    deprecated: str
    deprecated_with_sunset: str
    reactivated: str
    sunset_missing: str
    sunset_parse: str
    sunset_too_small: str
    sunset_deleted: str
    sunset_changed_parse: str
    sunset_changed_too_small: str
    removed_without_deprecation: str
    removed_with_deprecation: str
    removed_sunset_parse: str
    removed_before_sunset: str


OPERATION_RULES = LifecycleRules(
    deprecated="endpoint-deprecated",
    deprecated_with_sunset="endpoint-deprecated-with-sunset",
    reactivated="endpoint-reactivated",
    sunset_missing="api-deprecated-sunset-missing",
    sunset_parse="api-deprecated-sunset-parse",
    sunset_too_small="api-sunset-date-too-small",
    sunset_deleted="sunset-deleted",
    sunset_changed_parse="api-path-sunset-parse",
    sunset_changed_too_small="api-sunset-date-changed-too-small",
    removed_without_deprecation="api-removed-without-deprecation",
    removed_with_deprecation="api-removed-with-deprecation",
    removed_sunset_parse="api-path-sunset-parse",
    removed_before_sunset="api-removed-before-sunset",
)

PATH_RULES = OPERATION_RULES._replace(
    removed_without_deprecation="api-path-removed-without-deprecation",
    removed_with_deprecation="api-path-removed-with-deprecation",
    removed_before_sunset="api-path-removed-before-sunset",
)

PARAMETER_RULES = LifecycleRules(
    deprecated="request-parameter-deprecated",
    deprecated_with_sunset="request-parameter-deprecated",
    reactivated="request-parameter-reactivated",
    sunset_missing="request-parameter-deprecated-sunset-missing",
    sunset_parse="request-parameter-sunset-parse",
    sunset_too_small="request-parameter-sunset-date-too-small",
    sunset_deleted="request-parameter-sunset-deleted",
    sunset_changed_parse="request-parameter-sunset-parse",
    sunset_changed_too_small="request-parameter-sunset-date-changed-too-small",
    removed_without_deprecation="request-parameter-removed",
    removed_with_deprecation="request-parameter-removed-with-deprecation",
    removed_sunset_parse="request-parameter-sunset-parse",
    removed_before_sunset="request-parameter-removed-before-sunset",
)


@dataclass(frozen=True)
class Lifecycle:
    """The policy for one operation: the options and the operation's (revised) stability."""

    options: DiffOptions
    stability: str | None = ""

    @property
    def deprecation_days(self) -> int:
        """The minimum sunset lead time: none for draft/alpha, else the beta or stable policy."""
        if self.stability in UNSTABLE:
            return 0
        if self.stability == "beta":
            return self.options.deprecation_days_beta
        return self.options.deprecation_days_stable

    def removal(self, site: Site, rules: LifecycleRules, node: dict[str, Any]) -> Iterator[Change]:
        """Removing `node` (an operation or parameter): an error unless deprecated and sunset."""
        what = site.noun() if site.subject == "parameter" else "the operation"
        if node.get("deprecated") is not True:
            yield site.change(rules.removed_without_deprecation, f"{what} was removed")
            return
        if SUNSET not in node:
            text = f"{what} was removed after deprecation"
            yield site.change(rules.removed_with_deprecation, text)
            return
        try:
            sunset = sunset_date(node[SUNSET])
        except ValueError as error:
            yield site.change(rules.removed_sunset_parse, f"{what} was removed: {error}")
            return
        if self.options.today() < sunset:
            text = f"{what} was removed before its sunset date {sunset.isoformat()}"
            yield site.change(rules.removed_before_sunset, text)

    def deprecation(
        self, site: Site, rules: LifecycleRules, base: dict[str, Any], revision: dict[str, Any]
    ) -> Iterator[Change]:
        """Changes of `deprecated` and of `x-sunset` between two versions of one element."""
        what = site.noun() if site.subject == "parameter" else "the operation"
        before, after = base.get("deprecated") is True, revision.get("deprecated") is True
        if before and not after:
            yield site.change(rules.reactivated, f"{what} is no longer deprecated")
        elif after and not before and self.stability is not None:
            yield from self._deprecated(site, rules, revision, what)
        if after:
            yield from self._sunset_changed(site, rules, base, revision, what)

    def _deprecated(
        self, site: Site, rules: LifecycleRules, revision: dict[str, Any], what: str
    ) -> Iterator[Change]:
        days = self.deprecation_days
        if SUNSET not in revision:
            if days > 0:
                text = f"{what} was deprecated without a sunset date ({days} days are required)"
                yield site.change(rules.sunset_missing, text)
            else:
                yield site.change(rules.deprecated, f"{what} was deprecated")
            return
        try:
            sunset = sunset_date(revision[SUNSET])
        except ValueError as error:
            yield site.change(rules.sunset_parse, f"{what} was deprecated: {error}")
            return
        if (sunset - self.options.today()).days < days:
            text = f"the sunset date {sunset.isoformat()} of {what} is less than {days} days away"
            yield site.change(rules.sunset_too_small, text)
            return
        text = f"{what} was deprecated with the sunset date {sunset.isoformat()}"
        yield site.change(rules.deprecated_with_sunset, text)

    def _sunset_changed(
        self,
        site: Site,
        rules: LifecycleRules,
        base: dict[str, Any],
        revision: dict[str, Any],
        what: str,
    ) -> Iterator[Change]:
        if SUNSET in base and SUNSET not in revision:
            text = f"the sunset date of {what} was deleted but it is still deprecated"
            yield site.change(rules.sunset_deleted, text)
            return
        if SUNSET not in base or SUNSET not in revision or base[SUNSET] == revision[SUNSET]:
            return
        try:
            sunset, previous = sunset_date(revision[SUNSET]), sunset_date(base[SUNSET])
        except ValueError as error:
            yield site.change(rules.sunset_changed_parse, f"the sunset date of {what}: {error}")
            return
        if self.stability is None:
            return  # reported as api-invalid-stability-level
        days = self.deprecation_days
        if previous > sunset and (sunset - self.options.today()).days < days:
            text = (
                f"the sunset date of {what} was moved earlier, from {previous.isoformat()} to "
                f"{sunset.isoformat()}, which is less than {days} days away"
            )
            yield site.change(rules.sunset_changed_too_small, text)
