"""Deterministic names: path segments, path parameters, operation ids, component names,
tags and the words of summaries."""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Mapping

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


# Words whose first letter is a vowel but whose sound is not ("a unit", "a one-off"), and
# the reverse ("an hour").
_CONSONANT_SOUND = re.compile(r"^(uni|use|usu|ura|uro|uti|eu|ewe|one|once|ubiq)", re.IGNORECASE)
_VOWEL_SOUND = re.compile(r"^(hour|honest|honou?r|heir)", re.IGNORECASE)


def with_article(noun: str) -> str:
    """``employee`` → ``an employee``, ``company`` → ``a company``, ``unit`` → ``a unit``."""
    vowel = noun[:1].lower() in "aeiou" and not _CONSONANT_SOUND.match(noun)
    return f"{'an' if vowel or _VOWEL_SOUND.match(noun) else 'a'} {noun}"


def tag_name(segment: str) -> str:
    """The tag of a resource: its path segment, readable (``stock-items`` → ``Stock items``):
    a related name (``departments``), ``Resource(name=...)`` or the slugified plural."""
    text = segment.replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]


def unique_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """Resource key → tag; a tag several resources would share names each one's key too."""
    counts = Counter(tags.values())
    return {key: tag if counts[tag] == 1 else f"{tag} ({key})" for key, tag in tags.items()}


def model_description(model: type) -> str | None:
    """The first paragraph of a model's docstring, unless Django wrote it
    (``Company(id, name, ...)`` for a model without one)."""
    doc = model.__dict__.get("__doc__")
    if not doc:
        return None
    text = inspect.cleandoc(doc).split("\n\n")[0].replace("\n", " ").strip()
    generated = re.fullmatch(rf"{re.escape(model.__name__)}\(.*\)", text, re.DOTALL)
    return None if generated else text or None
