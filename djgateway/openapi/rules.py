"""Rule ids and their default levels, following oasdiff's ids and severities.

Ids that exist in oasdiff (≈v1.29, `oasdiff-rules.tsv`) keep its level. djgateway-only ids (such as
`request-property-additional-properties-closed`) follow oasdiff's law: narrowing what a request
may contain is ERR, widening what a response may contain is ERR, the rest is INFO; setting a new
bound on a request is WARN, as for oasdiff's `*-set` rules.
"""

from __future__ import annotations

from .changes import Level

ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO

_ENDPOINT_RULES = {
    "endpoint-added": INFO,
    "api-path-removed-without-deprecation": ERR,
    "api-path-removed-with-deprecation": INFO,
    "api-path-removed-before-sunset": ERR,
    "api-path-sunset-parse": ERR,
    "api-removed-without-deprecation": ERR,
    "api-removed-with-deprecation": INFO,
    "api-removed-before-sunset": ERR,
    "api-operation-id-removed": INFO,
    "api-operation-id-added": INFO,
    "api-tag-removed": INFO,
    "api-tag-added": INFO,
    "webhook-added": INFO,
    "webhook-removed": ERR,
}

# x-stability-level, deprecated and x-sunset (lifecycle.py).
_LIFECYCLE_RULES = {
    "endpoint-deprecated": INFO,
    "endpoint-deprecated-with-sunset": INFO,
    "endpoint-reactivated": INFO,
    "api-deprecated-sunset-missing": ERR,
    "api-deprecated-sunset-parse": ERR,
    "api-sunset-date-too-small": ERR,
    "sunset-deleted": ERR,
    "api-sunset-date-changed-too-small": ERR,
    "api-stability-decreased": ERR,
    "api-stability-increased": INFO,
    "api-invalid-stability-level": ERR,
    "request-parameter-deprecated": INFO,
    "request-parameter-reactivated": INFO,
    "request-parameter-deprecated-sunset-missing": ERR,
    "request-parameter-sunset-parse": ERR,
    "request-parameter-sunset-date-too-small": ERR,
    "request-parameter-sunset-deleted": ERR,
    "request-parameter-sunset-date-changed-too-small": ERR,
    "request-parameter-removed-before-sunset": ERR,
}

# oasdiff's security ids keep the tsv's INFO; whether clients are locked out is said by the
# anonymous-access rules (oasdiff after the tsv) and djgateway's `*-narrowed` (security_diff.py).
_SECURITY_RULES = {
    "api-security-added": INFO,
    "api-security-removed": INFO,
    "api-security-scope-added": INFO,
    "api-security-scope-removed": INFO,
    "api-global-security-added": INFO,
    "api-global-security-removed": INFO,
    "api-global-security-scope-added": INFO,
    "api-global-security-scope-removed": INFO,
    "api-security-component-added": INFO,
    "api-security-component-removed": INFO,
    "api-security-anonymous-access-removed": ERR,
    "api-security-anonymous-access-added": INFO,
    "api-global-security-anonymous-access-removed": ERR,
    "api-global-security-anonymous-access-added": INFO,
    "api-security-narrowed": ERR,
    "api-global-security-narrowed": ERR,
}

# Operation-level ids that are not in oasdiff-rules.tsv: oasdiff's newer anonymous-access rules
# (levels from its own tests) and djgateway's narrowed-security judgement.
OPERATION_OWN_RULES = frozenset(
    {
        "api-security-anonymous-access-removed",
        "api-security-anonymous-access-added",
        "api-global-security-anonymous-access-removed",
        "api-global-security-anonymous-access-added",
        "api-security-narrowed",
        "api-global-security-narrowed",
    }
)

_PARAMETER_RULES = {
    "new-required-request-parameter": ERR,
    "new-optional-request-parameter": INFO,
    "new-required-request-default-parameter-to-existing-path": ERR,
    "new-optional-request-default-parameter-to-existing-path": INFO,
    "new-request-path-parameter": ERR,
    "request-parameter-removed": WARN,
    "request-parameter-removed-with-deprecation": INFO,
    "request-parameter-became-required": ERR,
    "request-parameter-became-optional": INFO,
    # ERR in the tsv (≈v1.29); oasdiff ≥ v1.30 made them INFO.
    "request-parameter-default-value-added": ERR,
    "request-parameter-default-value-removed": ERR,
    "request-parameter-default-value-changed": ERR,
}

_BODY_RULES = {
    "request-body-added-required": ERR,
    "request-body-added-optional": INFO,
    "request-body-removed": ERR,
    "request-body-became-required": ERR,
    "request-body-became-optional": INFO,
    "request-body-media-type-added": INFO,
    "request-body-media-type-removed": ERR,
    "request-body-media-type-schema-added": ERR,
    "request-body-media-type-schema-removed": INFO,
}

_RESPONSE_RULES = {
    "response-success-status-removed": ERR,
    "response-success-status-added": INFO,
    "response-non-success-status-removed": INFO,
    "response-non-success-status-added": INFO,
    "response-media-type-removed": ERR,
    "response-media-type-added": INFO,
    "response-body-media-type-schema-added": INFO,
    "response-body-media-type-schema-removed": WARN,
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


# -- JSON Schema keywords, composition, defaults, mutability (schema_diff / keyword_diff) ----------
# Same shape as `_SCHEMA_SUFFIXES`; None on the request side means "no such rule". Levels are
# oasdiff's (oasdiff-rules.tsv); where oasdiff has no id, djgateway's own follow the law above.
_KEYWORD_SUFFIXES: dict[str, tuple[Level | None, Level | None]] = {
    "list-of-types-widened": (INFO, ERR),
    "list-of-types-narrowed": (ERR, INFO),
    "pattern-generalized": (INFO, None),
    "x-extensible-enum-value-removed": (ERR, None),
    "default-value-added": (INFO, INFO),
    "default-value-removed": (INFO, INFO),
    "default-value-changed": (INFO, INFO),
    "discriminator-added": (INFO, INFO),
    "discriminator-removed": (INFO, INFO),
    "discriminator-property-name-changed": (INFO, INFO),
    "discriminator-mapping-added": (INFO, INFO),
    "discriminator-mapping-deleted": (INFO, INFO),
    "discriminator-mapping-changed": (INFO, INFO),
    "all-of-added": (ERR, INFO),
    "all-of-removed": (WARN, INFO),
    "all-of-added-annotation-only": (INFO, INFO),
    "all-of-removed-annotation-only": (INFO, INFO),
    "prefix-items-added": (INFO, ERR),
    "prefix-items-removed": (ERR, INFO),
    "contains-added": (ERR, INFO),
    "contains-removed": (INFO, ERR),
    "min-contains-increased": (ERR, INFO),
    "min-contains-decreased": (INFO, ERR),
    "max-contains-increased": (INFO, ERR),
    "max-contains-decreased": (ERR, INFO),
    "dependent-required-added": (ERR, INFO),
    "dependent-required-removed": (INFO, ERR),
    "dependent-required-changed": (ERR, ERR),
    "dependent-schema-added": (ERR, INFO),
    "dependent-schema-removed": (INFO, ERR),
    "pattern-property-added": (ERR, INFO),
    "pattern-property-removed": (INFO, ERR),
    "property-names-added": (ERR, INFO),
    "property-names-removed": (INFO, ERR),
    "unevaluated-items-added": (ERR, INFO),
    "unevaluated-items-removed": (INFO, ERR),
    "unevaluated-properties-added": (ERR, INFO),
    "unevaluated-properties-removed": (INFO, ERR),
    "content-schema-added": (ERR, INFO),
    "content-schema-removed": (INFO, ERR),
    "content-media-type-changed": (ERR, ERR),
    "content-encoding-changed": (ERR, ERR),
    **{f"{keyword}-added": (ERR, INFO) for keyword in ("if", "then", "else")},
    **{f"{keyword}-removed": (INFO, ERR) for keyword in ("if", "then", "else")},
    # djgateway's own: a changed `if` moves the line between `then` and `else` (incomparable).
    "if-changed": (ERR, ERR),
}
# Parameter defaults belong to the parameter rules (operation_diff), not to the schema differ.
_NOT_FOR_PARAMETERS = frozenset(
    {"default-value-added", "default-value-removed", "default-value-changed"}
)
# Keyword suffixes oasdiff has for parameters; every other parameter variant is djgateway's own.
_OASDIFF_PARAMETER_SUFFIXES = frozenset(
    {
        "list-of-types-widened",
        "list-of-types-narrowed",
        "pattern-generalized",
        "x-extensible-enum-value-removed",
    }
)
# Keyword suffixes oasdiff has no id for on any subject.
_OWN_SUFFIXES = frozenset({"if-changed"})

# readOnly / writeOnly (oasdiff's RequestPropertyWriteOnlyReadOnlyCheck and the response
# write-only variants). readOnly has no effect on the request side, writeOnly none on the response.
_MUTABILITY_RULES = {
    **{
        f"{direction}-{kind}-property-became-{became}": INFO
        for direction in ("request", "response")
        for kind in ("required", "optional")
        for became in ("read-only", "not-read-only", "write-only", "not-write-only")
    },
    "response-required-property-became-not-write-only": WARN,
    "response-optional-write-only-property-removed": INFO,
    "response-required-write-only-property-removed": INFO,
    "response-optional-write-only-property-added": INFO,
    "response-required-write-only-property-added": INFO,
    "response-write-only-property-became-optional": INFO,
    "response-write-only-property-became-required": INFO,
    "response-write-only-property-enum-value-added": INFO,
    "request-read-only-property-enum-value-removed": INFO,
    "request-read-only-property-max-decreased": INFO,
    "request-read-only-property-exclusive-max-decreased": INFO,
    "request-read-only-property-max-length-decreased": INFO,
    "request-read-only-property-min-increased": INFO,
    "request-read-only-property-exclusive-min-increased": INFO,
}


def _keyword_rules() -> tuple[dict[str, Level], frozenset[str]]:
    """The keyword rules, and which of them are djgateway's own ids."""
    rules: dict[str, Level] = {}
    own: set[str] = set()
    for direction, subjects in _SUBJECTS.items():
        for subject in subjects:
            for suffix, levels in _KEYWORD_SUFFIXES.items():
                level = levels[0] if direction == "request" else levels[1]
                if level is None or (subject == "parameter" and suffix in _NOT_FOR_PARAMETERS):
                    continue
                rule = f"{direction}-{subject}-{suffix}"
                rules[rule] = level
                if suffix in _OWN_SUFFIXES or (
                    subject == "parameter" and suffix not in _OASDIFF_PARAMETER_SUFFIXES
                ):
                    own.add(rule)
    own.add("request-body-x-extensible-enum-value-removed")  # oasdiff: properties only
    return rules, frozenset(own)


_KEYWORD_RULES, SCHEMA_KEYWORD_OWN_RULES = _keyword_rules()
"""`SCHEMA_KEYWORD_OWN_RULES`: keyword rule ids that are djgateway's own, not oasdiff's."""


RULE_LEVELS: dict[str, Level] = {
    **_schema_rules(),
    **_KEYWORD_RULES,
    **_MUTABILITY_RULES,
    **_ENDPOINT_RULES,
    **_LIFECYCLE_RULES,
    **_SECURITY_RULES,
    **_PARAMETER_RULES,
    **_BODY_RULES,
    **_RESPONSE_RULES,
    **_PROPERTY_RULES,
}


def default_level(rule: str) -> Level:
    """The default level of `rule`; unknown ids are a programming error."""
    return RULE_LEVELS[rule]
