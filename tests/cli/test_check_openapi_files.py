"""`djgateway check-openapi --base/--revision` on small documents: report formats for CI
(GitHub Actions annotations, JUnit XML, JSON with its schema), YAML input, and oasdiff's
options (`--severity-levels`, `--fail-on ERR|WARN|INFO`, `--include-checks`, deprecation days).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from djgateway.openapi import check as check_module
from djgateway.openapi.changes import Change, Level
from djgateway.openapi.formats import ChangeReport, github_actions
from djgateway.openapi.load import read_document
from tests.cli.support import GOLDEN, assert_golden, assert_usage_error, invoke

Doc = dict[str, Any]
REPORT_SCHEMA = Path(check_module.__file__).with_name("check-report.schema.json")


def pets() -> Doc:
    """A small API: list and create pets, and a legacy endpoint."""
    pet = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string", "maxLength": 50}, "tag": {"type": "string"}},
    }
    query = [
        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
    ]
    listed = {"application/json": {"schema": {"items": {"$ref": "#/components/schemas/Pet"}}}}
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": query,
                    "responses": {"200": {"description": "ok", "content": listed}},
                },
                "post": {
                    "operationId": "createPet",
                    "requestBody": {"required": True, "content": body},
                    "responses": {"201": {"description": "created"}},
                },
            },
            "/legacy": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {"schemas": {"Pet": pet}},
    }


def breaking_revision() -> Doc:
    """ERR (a path removed, a parameter made required, a shorter name accepted), INFO (an
    endpoint added, a response bound narrowed)."""
    revision = pets()
    del revision["paths"]["/legacy"]
    revision["paths"]["/pets"]["get"]["parameters"][0]["required"] = True
    revision["components"]["schemas"]["Pet"]["properties"]["name"]["maxLength"] = 40
    revision["paths"]["/pets/{id}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    return revision


def warning_revision() -> Doc:
    """Only a WARN (a parameter removed) and an INFO (an endpoint added)."""
    revision = pets()
    revision["paths"]["/pets"]["get"]["parameters"].pop()
    revision["paths"]["/pets/{id}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    return revision


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.json").write_text(json.dumps(pets()), encoding="utf-8")
    (tmp_path / "breaking.json").write_text(json.dumps(breaking_revision()), encoding="utf-8")
    (tmp_path / "warning.json").write_text(json.dumps(warning_revision()), encoding="utf-8")
    return tmp_path


def check(*args: str, revision: str = "breaking.json") -> Any:
    return invoke("check-openapi", "--base", "base.json", "--revision", revision, *args)


def rules(result: Any) -> list[tuple[str, str]]:
    return [(change["rule"], change["level"]) for change in json.loads(result.stdout)["changes"]]


# -- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output_format", "golden"),
    [("githubactions", "files_breaking.githubactions"), ("junit", "files_breaking.junit.xml")],
)
def test_ci_formats_list_every_change(in_tmp: Path, output_format: str, golden: str) -> None:
    result = check("--format", output_format)

    assert result.exit_code == 1
    assert_golden(golden, result.stdout)


def test_github_annotations_are_levelled_and_set_the_step_outputs(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = in_tmp / "github_output"
    outputs.write_text("earlier=1\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))

    result = check("--format", "githubactions", revision="warning.json")

    assert result.exit_code == 1  # WARN is breaking
    assert [line.partition(" ")[0] for line in result.stdout.splitlines()] == [
        "::warning",
        "::notice",
    ]
    assert outputs.read_text(encoding="utf-8").splitlines() == [
        "earlier=1",
        "error_count=0",
        "warning_count=1",
        "info_count=1",
    ]


def test_github_annotation_text_is_escaped() -> None:
    change = Change(
        rule="response-property-enum-value-added",
        level=Level.INFO,
        direction="response",
        path="/a",
        method="get",
        location="response 200",
        message="100% new:\nvalue, really",
    )
    report = ChangeReport((change,), "a", "b", "breaking", False, False)

    assert github_actions(report) == (
        "::notice title=response-property-enum-value-added::"
        "GET /a, response 200: 100%25 new:%0Avalue, really\n"
    )


def test_junit_fails_only_the_changes_that_fail_the_check(in_tmp: Path) -> None:
    result = check("--format", "junit", "--fail-on", "ERR", revision="warning.json")

    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert result.exit_code == 0
    assert (suite.get("tests"), suite.get("failures")) == ("2", "0")
    assert [case.get("name") for case in cases] == [
        "request-parameter-removed at parameter query offset",
        "endpoint-added",
    ]
    assert [case.find("system-out") is not None for case in cases] == [True, True]


def test_junit_without_changes_has_one_passing_case(in_tmp: Path) -> None:
    result = check("--format", "junit", revision="base.json")

    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert result.exit_code == 0
    assert [(case.get("name"), list(case)) for case in suite] == [("no API changes", [])]


@pytest.mark.parametrize("revision", ["breaking.json", "warning.json", "base.json"])
def test_json_report_follows_its_schema(in_tmp: Path, revision: str) -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))

    report = json.loads(check("--format", "json", revision=revision).stdout)

    jsonschema.validate(report, schema)
    assert (report["base"], report["revision"]) == ("base.json", revision)


def test_committed_json_golden_follows_the_schema() -> None:
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    golden = json.loads((GOLDEN / "check_breaking.json").read_text(encoding="utf-8"))

    jsonschema.validate(golden, schema)


# -- --fail-on, --severity-levels, --include-checks, deprecation days ---------------------------


@pytest.mark.parametrize(
    ("fail_on", "exit_code"),
    [("breaking", 1), ("ERR", 0), ("WARN", 1), ("INFO", 1), ("any", 1)],
)
def test_fail_on_takes_oasdiff_levels(in_tmp: Path, fail_on: str, exit_code: int) -> None:
    result = check("--fail-on", fail_on, "--format", "json", revision="warning.json")

    assert (result.exit_code, json.loads(result.stdout)["fail_on"]) == (exit_code, fail_on)


def test_fail_on_info_passes_without_changes(in_tmp: Path) -> None:
    assert check("--fail-on", "INFO", revision="base.json").exit_code == 0


def test_severity_levels_regrade_and_turn_rules_off(in_tmp: Path) -> None:
    (in_tmp / "levels.txt").write_text(
        "# accepted on purpose\n"
        "\n"
        "api-path-removed-without-deprecation   info  # the legacy endpoint had no clients\n"
        "request-parameter-became-required WARN\n"
        "endpoint-added none\n",
        encoding="utf-8",
    )

    result = check("--severity-levels", "levels.txt", "--format", "json", "--fail-on", "ERR")

    assert result.exit_code == 1  # request-property-max-length-decreased is still ERR
    assert rules(result) == [
        ("api-path-removed-without-deprecation", "INFO"),
        ("request-parameter-became-required", "WARN"),
        ("response-property-max-length-decreased", "INFO"),
        ("request-property-max-length-decreased", "ERR"),
    ]


def test_severity_levels_can_make_a_failing_check_pass(in_tmp: Path) -> None:
    (in_tmp / "levels.txt").write_text("request-parameter-removed info\n", encoding="utf-8")

    result = check("--severity-levels", "levels.txt", revision="warning.json")

    assert result.exit_code == 0
    assert "0 breaking" in result.stdout


def test_unknown_rule_in_severity_levels_is_noted(in_tmp: Path) -> None:
    (in_tmp / "levels.txt").write_text("api-schema-removed err\n", encoding="utf-8")

    result = check("--severity-levels", "levels.txt", revision="base.json")

    assert result.exit_code == 0
    assert result.stderr == (
        "Note: api-schema-removed is not a rule djgateway reports; its level is unused\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "endpoint-added\n",
            "levels.txt, line 1: expected '<rule-id> <level>', got 'endpoint-added'",
        ),
        (
            "# ok\nendpoint-added fatal\n",
            "levels.txt, line 2: unknown level 'fatal' (err, warn, info or none)",
        ),
        (
            "Endpoint_Added err\n",
            "levels.txt, line 1: expected '<rule-id> <level>', got 'Endpoint_Added err'",
        ),
    ],
    ids=["no-level", "unknown-level", "not-a-rule-id"],
)
def test_malformed_severity_levels_are_usage_errors(
    in_tmp: Path, content: str, message: str
) -> None:
    (in_tmp / "levels.txt").write_text(content, encoding="utf-8")

    assert_usage_error(check("--severity-levels", "levels.txt"), message)


def test_missing_severity_levels_file_is_a_usage_error(in_tmp: Path) -> None:
    assert_usage_error(check("--severity-levels", "none.txt"), "no such file: none.txt")


def test_include_checks_is_accepted_and_ignored_with_a_note(in_tmp: Path) -> None:
    plain = check("--format", "json")

    result = check("--format", "json", "--include-checks", "response-non-success-status-removed")

    assert (result.exit_code, result.stdout) == (plain.exit_code, plain.stdout)
    assert result.stderr.startswith("Note: --include-checks is ignored: every rule runs")


def test_deprecation_days_reach_the_differ(in_tmp: Path) -> None:
    revision = pets()
    revision["paths"]["/pets"]["get"]["deprecated"] = True
    (in_tmp / "deprecated.json").write_text(json.dumps(revision), encoding="utf-8")

    plain = check("--format", "json", revision="deprecated.json")
    strict = check(
        "--format", "json", "--deprecation-days-stable", "30", revision="deprecated.json"
    )

    assert rules(plain) == [("endpoint-deprecated", "INFO")]
    assert rules(strict) == [("api-deprecated-sunset-missing", "ERR")]
    assert strict.exit_code == 1


def test_a_differ_without_options_refuses_deprecation_days(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def old_differ(base: Doc, revision: Doc) -> list[Change]:
        return []

    monkeypatch.setattr(check_module, "diff_documents", old_differ)

    result = check("--deprecation-days-beta", "10")
    plain = check(revision="base.json")

    assert_usage_error(
        result, "this version of the differ does not support --deprecation-days-beta"
    )
    assert plain.exit_code == 0


def test_negative_deprecation_days_are_refused(in_tmp: Path) -> None:
    result = check("--deprecation-days-stable", "-1")

    assert (result.exit_code, result.stdout) == (2, "")
    assert "Invalid value for '--deprecation-days-stable'" in result.stderr


# -- YAML --------------------------------------------------------------------------------------


def write_yaml(path: Path, document: Doc) -> None:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ""])
def test_yaml_documents_compare_like_json(in_tmp: Path, suffix: str) -> None:
    write_yaml(in_tmp / f"base{suffix}", pets())
    write_yaml(in_tmp / f"breaking{suffix}", breaking_revision())

    from_json = check("--format", "json")
    from_yaml = invoke(
        "check-openapi", "--base", f"base{suffix}", "--revision", f"breaking{suffix}",
        "--format", "json",
    )  # fmt: skip

    assert from_yaml.exit_code == from_json.exit_code == 1
    assert rules(from_yaml) == rules(from_json)


def test_yaml_is_read_as_openapi_tools_read_it(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\n"
        "paths:\n"
        "  /answers:\n"
        "    get:\n"
        "      x-sunset: 2026-01-01\n"
        "      parameters:\n"
        "        - {name: answer, in: query, schema: {enum: [yes, no, on, true]}}\n"
        "      responses:\n"
        "        200: &ok {description: ok}\n"
        "        2XX: *ok\n",
        encoding="utf-8",
    )

    operation = read_document(path)["paths"]["/answers"]["get"]

    assert operation["x-sunset"] == "2026-01-01"
    assert operation["parameters"][0]["schema"]["enum"] == ["yes", "no", "on", True]
    assert operation["responses"] == {"200": {"description": "ok"}, "2XX": {"description": "ok"}}


def test_a_json_file_without_suffix_is_sniffed(in_tmp: Path) -> None:
    (in_tmp / "base").write_text(json.dumps(pets()), encoding="utf-8")

    result = invoke("check-openapi", "--base", "base", "--revision", "base.json")

    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "paths: [\n",
            "api.yaml is not YAML: did not find expected node content (line 2, column 1)",
        ),
        ("- 1\n- 2\n", "api.yaml is not an OpenAPI document (a YAML mapping)"),
        (
            "? [a, b]\n: 1\n",
            "api.yaml is not YAML: a mapping key must be a scalar (line 1, column 3)",
        ),
        ("x: !!binary aGk=\n", "api.yaml holds a value JSON cannot: a bytes"),
        ("x: .nan\n", "api.yaml holds a value JSON cannot: NaN or an infinity"),
    ],
    ids=["syntax", "list", "complex-key", "binary", "nan"],
)
def test_bad_yaml_is_a_usage_error(in_tmp: Path, content: str, message: str) -> None:
    (in_tmp / "api.yaml").write_text(content, encoding="utf-8")

    assert_usage_error(
        invoke("check-openapi", "--base", "api.yaml", "--revision", "base.json"), message
    )


def test_yaml_without_pyyaml_is_a_usage_error(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_yaml(in_tmp / "base.yaml", pets())
    monkeypatch.setitem(sys.modules, "yaml", None)  # `import yaml` raises ImportError

    result = invoke("check-openapi", "--base", "base.yaml", "--revision", "base.json")

    assert_usage_error(
        result,
        "base.yaml is YAML, and reading YAML needs PyYAML: pip install pyyaml "
        "(or convert the document to JSON)",
    )


def test_update_writes_a_yaml_snapshot_that_reads_back(in_tmp: Path) -> None:
    current = json.loads(invoke("openapi").stdout)

    written = invoke("check-openapi", "--snapshot", "api.yaml", "--update")
    again = invoke("check-openapi", "--snapshot", "api.yaml", "--update")
    compared = invoke("check-openapi", "--snapshot", "api.yaml")

    assert (written.exit_code, again.stdout) == (0, "api.yaml is up to date.\n")
    assert (in_tmp / "api.yaml").read_text(encoding="utf-8").startswith("components:\n")
    assert read_document(in_tmp / "api.yaml") == current
    assert (compared.exit_code, compared.stdout) == (
        0,
        "No API changes from api.yaml to the current API.\n",
    )
