"""`djgateway openapi` and the canonical document it prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from djgateway.openapi import canonical_json
from djgateway.openapi.document import canonical_document
from tests.cli.support import SNAPSHOT, invoke


class FakeApp:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def openapi(self) -> dict[str, Any]:
        return self.document


def test_openapi_with_no_arguments_prints_the_committed_sandbox_snapshot() -> None:
    result = invoke("openapi")

    assert result.exit_code == 0
    assert result.stdout == SNAPSHOT.read_text(encoding="utf-8"), (
        "the sandbox API changed: review it, then run `djgateway check-openapi --update`"
    )


def test_openapi_output_writes_the_same_document_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "openapi.json"

    result = invoke("openapi", "--output", str(target))

    assert (result.exit_code, result.stdout) == (0, f"Wrote {target}\n")
    assert target.read_text(encoding="utf-8") == invoke("openapi").stdout


def test_openapi_of_a_fastapi_app() -> None:
    result = invoke("openapi", "--app", "tests.cli.apps:plain_app")

    document = json.loads(result.stdout)
    assert result.stdout == canonical_json(document)
    assert document["info"] == {"title": "plain", "version": "1"}
    assert list(document["paths"]) == ["/ping"]


def test_openapi_of_an_app_factory_and_of_a_gateway() -> None:
    from_factory = json.loads(invoke("openapi", "--app", "tests.cli.apps:make_app").stdout)
    from_gateway = json.loads(invoke("openapi", "--app", "tests.cli.apps:small_gateway").stdout)

    assert "/v1/libraries/{library_id}/shelves/{shelf_id}/books" in from_factory["paths"]
    assert "/libraries/{library_id}/shelves/{shelf_id}/books" in from_gateway["paths"]
    assert not any(path.startswith("/tags") for path in from_gateway["paths"])


def test_canonical_document_keeps_servers_and_sorts_required_lists() -> None:
    schema = {"type": "object", "required": ["b", "a"], "default": {"required": ["z", "y"]}}
    app = FakeApp({"servers": [{"url": "/"}], "components": {"schemas": {"S": schema}}})

    document = canonical_document(app)

    assert document["servers"] == [{"url": "/"}]  # as declared: linters want them
    assert document["components"]["schemas"]["S"] == {
        "type": "object",
        "required": ["a", "b"],
        "default": {"required": ["z", "y"]},
    }


def test_canonical_document_sorts_inside_properties_named_like_keywords() -> None:
    app = FakeApp(
        {
            "properties": {
                "default": {"type": "object", "required": ["y", "x"]},
                "enum": {"type": "object", "required": ["y", "x"]},
            }
        }
    )

    document = canonical_document(app)

    assert document["properties"]["default"]["required"] == ["x", "y"]
    assert document["properties"]["enum"]["required"] == ["x", "y"]


def test_canonical_document_leaves_the_application_schema_untouched() -> None:
    original = {"servers": [{"url": "/x"}], "required": ["b", "a"]}
    app = FakeApp(original)

    canonical_document(app)

    assert original == {"servers": [{"url": "/x"}], "required": ["b", "a"]}
