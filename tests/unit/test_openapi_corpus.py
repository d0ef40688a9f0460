"""Every case of `tests/openapi_corpus/` (see its README): the differ reports exactly the
expected rule ids and levels, in both directions where a case says so."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from djgateway.openapi import diff_documents
from djgateway.openapi.changes import DiffOptions
from djgateway.openapi.rules import RULE_LEVELS

CORPUS = Path(__file__).resolve().parents[1] / "openapi_corpus"
CASES = sorted(CORPUS.rglob("*.json"))


def load_case(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for side in ("base", "revision"):
        if isinstance(case[side], str):
            case[side] = load_document(path.parent / case[side])
    return case


def load_document(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        loaded: dict[str, Any] = yaml.safe_load(text)
        return loaded
    document: dict[str, Any] = json.loads(text)
    return document


def found(
    base: dict[str, Any], revision: dict[str, Any], options: DiffOptions | None = None
) -> Counter[tuple[str, str]]:
    changes = diff_documents(base, revision, options=options)
    return Counter((change.rule, str(change.level)) for change in changes)


def diff_options(settings: dict[str, Any] | None) -> DiffOptions | None:
    """A case's optional "options": deprecation days and a fixed "today" (ISO date)."""
    if settings is None:
        return None
    today = datetime.date.fromisoformat(settings.pop("today", "2026-01-01"))
    return DiffOptions(**settings, today=lambda: today)


def expected(pairs: list[list[str]]) -> Counter[tuple[str, str]]:
    return Counter((rule, level) for rule, level in pairs)


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(CORPUS)) for p in CASES])
def test_case(path: Path) -> None:
    case = load_case(path)
    options = diff_options(case.get("options"))
    assert found(case["base"], case["revision"], options) == expected(case["expect"]), case["about"]
    if "reverse" in case:
        reverse = found(case["revision"], case["base"], options)
        assert reverse == expected(case["reverse"]), case["about"]


def test_corpus_covers_every_rule() -> None:
    """Every rule id the differ knows is shown by at least one case (either direction), so a
    declared id can neither be unreachable nor change behaviour unnoticed."""
    covered: set[str] = set()
    for path in CASES:
        case = json.loads(path.read_text(encoding="utf-8"))
        for key in ("expect", "reverse"):
            covered.update(rule for rule, _level in case.get(key, []))
    assert sorted(set(RULE_LEVELS) - covered) == []
    assert sorted(covered - set(RULE_LEVELS)) == []
    assert len(CASES) >= 200
