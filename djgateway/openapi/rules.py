"""Rule ids and their default levels, following oasdiff's ids and severities.

Ids that exist in oasdiff (≈v1.29) keep its level, except `api-security-removed` and
`api-security-scope-added`, which are ERR as in oasdiff ≥ v1.30. djgateway-only ids (such as
`request-property-additional-properties-closed`) follow oasdiff's law: narrowing what a request
may contain is ERR, widening what a response may contain is ERR, the rest is INFO; setting a new
bound on a request is WARN, as for oasdiff's `*-set` rules.
"""

from __future__ import annotations

from .changes import Level

ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO

_ENDPOINT_RULES = {
    "endpoint-added": INFO,
    "endpoint-deprecated": INFO,
    "endpoint-reactivated": INFO,
    "api-path-removed-without-deprecation": ERR,
    "api-path-removed-with-deprecation": INFO,
    "api-removed-without-deprecation": ERR,
    "api-removed-with-deprecation": INFO,
    "api-security-added": INFO,
    "api-security-removed": ERR,
    "api-security-scope-added": ERR,
    "api-security-scope-removed": INFO,
    "api-security-component-added": INFO,
    "api-security-component-removed": INFO,
}

_PARAMETER_RULES = {
    "new-required-request-parameter": ERR,
    "new-optional-request-parameter": INFO,
    "new-request-path-parameter": ERR,
    "request-parameter-removed": WARN,
    "request-parameter-removed-with-deprecation": INFO,
    "request-parameter-became-required": ERR,
    "request-parameter-became-optional": INFO,
}

_BODY_RULES = {
    "request-body-added-required": ERR,
    "request-body-added-optional": INFO,
    "request-body-removed": ERR,
    "request-body-became-required": ERR,
    "request-body-became-optional": INFO,
    "request-body-media-type-added": INFO,
    "request-body-media-type-removed": ERR,
}

_RESPONSE_RULES = {
    "response-success-status-removed": ERR,
    "response-success-status-added": INFO,
    "response-non-success-status-removed": INFO,
    "response-non-success-status-added": INFO,
    "response-media-type-removed": ERR,
    "response-media-type-added": INFO,
    "required-response-header-removed": ERR,
    "optional-response-header-removed": WARN,
    "response-header-became-optional": ERR,
    "response-header-became-required": INFO,
    "response-header-added": INFO,
}

_PROPERTY_RULES = {
    "new-required-request-property": ERR,
    "new-required-request-property-with-default": ERR,
    "new-optional-request-property": INFO,
    "request-property-removed": WARN,
    "request-property-became-required": ERR,
    "request-property-became-required-with-default": ERR,
    "request-property-became-optional": INFO,
    "response-required-property-added": INFO,
    "response-optional-property-added": INFO,
    "response-required-property-removed": ERR,
    "response-optional-property-removed": WARN,
    "response-property-became-optional": ERR,
    "response-property-became-required": INFO,
}

# Per-schema rules, keyed by suffix: (level on the request side, level on the response side);
# None where the rule does not exist on that side.
_SCHEMA_SUFFIXES: dict[str, tuple[Level | None, Level]] = {
    "type-changed": (ERR, ERR),
    "type-generalized": (INFO, ERR),
    "type-specialized": (None, INFO),
    "became-nullable": (INFO, ERR),
    "became-not-nullable": (ERR, INFO),
    "enum-value-added": (INFO, WARN),
    "enum-value-removed": (ERR, INFO),
    "became-enum": (ERR, INFO),
    "enum-removed": (INFO, ERR),
    "pattern-added": (ERR, INFO),
    "pattern-changed": (WARN, INFO),
    "pattern-removed": (INFO, INFO),
    "additional-properties-closed": (ERR, INFO),
    "additional-properties-opened": (INFO, INFO),
    "any-of-added": (INFO, INFO),
    "any-of-removed": (ERR, INFO),
    "one-of-added": (INFO, ERR),
    "one-of-removed": (ERR, INFO),
}

UPPER_BOUNDS = {
    "maximum": "max",
    "exclusiveMaximum": "exclusive-max",
    "maxLength": "max-length",
    "maxItems": "max-items",
}
LOWER_BOUNDS = {
    "minimum": "min",
    "exclusiveMinimum": "exclusive-min",
    "minLength": "min-length",
    "minItems": "min-items",
}

# Bound actions that narrow what is valid, per kind of bound; the others widen it.
_NARROWING = {"upper": ("decreased", "set"), "lower": ("increased", "set")}
_ACTIONS = ("increased", "decreased", "set", "unset")


def _bound_level(direction: str, kind: str, action: str) -> Level:
    narrows = action in _NARROWING[kind]
    if direction == "request":
        return (WARN if action == "set" else ERR) if narrows else INFO
    return INFO if narrows else ERR


_SUBJECTS = {"request": ("body", "property", "parameter"), "response": ("body", "property")}


def _schema_rules() -> dict[str, Level]:
    rules: dict[str, Level] = {}
    for direction, subjects in _SUBJECTS.items():
        for subject in subjects:
            prefix = f"{direction}-{subject}"
            for suffix, levels in _SCHEMA_SUFFIXES.items():
                level = levels[0] if direction == "request" else levels[1]
                if level is not None:
                    rules[f"{prefix}-{suffix}"] = level
            rules.update(_bound_rules(direction, prefix))
    return rules


def _bound_rules(direction: str, prefix: str) -> dict[str, Level]:
    rules: dict[str, Level] = {}
    for kind, bounds in (("upper", UPPER_BOUNDS), ("lower", LOWER_BOUNDS)):
        for name in bounds.values():
            for action in _ACTIONS:
                rules[f"{prefix}-{name}-{action}"] = _bound_level(direction, kind, action)
    return rules


RULE_LEVELS: dict[str, Level] = {
    **_schema_rules(),
    **_ENDPOINT_RULES,
    **_PARAMETER_RULES,
    **_BODY_RULES,
    **_RESPONSE_RULES,
    **_PROPERTY_RULES,
}


def default_level(rule: str) -> Level:
    """The default level of `rule`; unknown ids are a programming error."""
    return RULE_LEVELS[rule]
