"""canonical_json: the byte-stable form of committed OpenAPI snapshots."""

import json

import pytest

from djgateway.openapi import canonical_json


def test_keys_are_sorted_at_every_level() -> None:
    text = canonical_json({"b": 1, "a": {"d": 2, "c": 3}})

    assert text == '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n'


def test_output_ends_with_exactly_one_newline() -> None:
    text = canonical_json({"openapi": "3.1.0"})

    assert text.endswith("}\n")
    assert not text.endswith("\n\n")


def test_insertion_order_does_not_change_the_output() -> None:
    first = {"paths": {"/b": {}, "/a": {}}, "info": {"title": "t", "version": "1"}}
    second = {"info": {"version": "1", "title": "t"}, "paths": {"/a": {}, "/b": {}}}

    assert canonical_json(first) == canonical_json(second)


def test_list_order_is_preserved() -> None:
    text = canonical_json({"enum": ["z", "a", "m"]})

    assert json.loads(text)["enum"] == ["z", "a", "m"]


def test_non_ascii_text_is_kept_readable() -> None:
    text = canonical_json({"description": "Société — 日本"})

    assert "Société — 日本" in text
    assert "\\u" not in text


def test_output_round_trips_to_the_same_document() -> None:
    document = {"a": [1, 2.5, None, True], "b": {"c": "d"}}

    assert json.loads(canonical_json(document)) == document


def test_nan_is_rejected_because_it_is_not_json() -> None:
    with pytest.raises(ValueError):
        canonical_json({"maximum": float("nan")})
