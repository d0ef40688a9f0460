"""Deterministic names: path segments, path parameters, operation ids, component names."""

from __future__ import annotations

import re

from django.utils.text import slugify


def segment_from_verbose_name(verbose_name_plural: str) -> str:
    return slugify(verbose_name_plural)


def segment_from_accessor(accessor: str) -> str:
    return accessor.replace("_", "-")


IRREGULAR_PLURALS = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "shelves": "shelf",
    "leaves": "leaf",
    "halves": "half",
    "knives": "knife",
    "lives": "life",
    "wives": "wife",
    "wolves": "wolf",
    "selves": "self",
    "analyses": "analysis",
    "statuses": "status",
    "addresses": "address",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
}


def singularize(plural: str) -> str:
    """A small English singularizer for path segments; override with ``Resource(singular=)``."""
    head, _, last = plural.rpartition("-")
    if last in IRREGULAR_PLURALS:
        return f"{head}-{IRREGULAR_PLURALS[last]}" if head else IRREGULAR_PLURALS[last]
    if plural.endswith("ies") and len(plural) > 3:
        return plural[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", plural):
        return plural[:-2]
    if plural.endswith("s") and not plural.endswith("ss"):
        return plural[:-1]
    return plural


def identifier(text: str) -> str:
    """``company-departments`` → ``company_departments``."""
    return re.sub(r"\W+", "_", text).strip("_").lower()


def camel(text: str) -> str:
    return "".join(part.capitalize() for part in identifier(text).split("_") if part)
