"""The report of `check-openapi` and its plain formats: markdown, JSON, GitHub Actions
annotations, JUnit XML and plain text (standard library only; the command line renders the
`text` format as a rich table).

The JSON shape is stable and described by `check-report.schema.json` beside this module:
new keys may be added, existing ones keep their name, type and meaning.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .canonical import canonical_json
from .changes import Change, Level, has_breaking, summarize

FORMATS = ("text", "markdown", "json", "githubactions", "junit")
_ANNOTATION = {Level.ERR: "error", Level.WARN: "warning", Level.INFO: "notice"}


@dataclass(frozen=True)
class ChangeReport:
    """The changes from `base` to `revision`, and whether they fail the check."""

    changes: tuple[Change, ...]
    base: str
    revision: str
    fail_on: str
    failing: bool
    identical: bool  # the two documents are byte-identical once canonical
    hint: str = ""  # what to do when the check fails

    def fails(self, change: Change) -> bool:
        """Whether `change` alone fails the check (`--fail-on`)."""
        return has_breaking((change,), self.fail_on)

    def summary(self) -> str:
        """One line: what was compared, what changed, and the verdict."""
        if not self.changes:
            same = "" if self.identical else " (the documents differ only in details)"
            return f"No API changes from {self.base} to {self.revision}{same}."
        counts = summarize(self.changes)
        breaking = sum(1 for change in self.changes if change.breaking)
        tally = ", ".join(f"{count} {level}" for level, count in counts.items())
        verdict = f"fails with --fail-on {self.fail_on}" if self.failing else "passes"
        return (
            f"{len(self.changes)} changes ({tally}; {breaking} breaking) "
            f"from {self.base} to {self.revision}: {verdict}."
        )

    def markdown(self) -> str:
        """A Markdown section for a pull-request comment."""
        lines = [f"### OpenAPI changes\n\n{self.summary()}\n"]
        if self.changes:
            lines.append("| level | rule | where | message |\n|---|---|---|---|")
            lines.extend(_markdown_row(change) for change in self.changes)
        if self.failing and self.hint:
            lines.append(f"\n{self.hint}")
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-able data (see `check-report.schema.json`)."""
        return {
            "base": self.base,
            "revision": self.revision,
            "fail_on": self.fail_on,
            "failing": self.failing,
            "identical": self.identical,
            "summary": summarize(self.changes),
            "changes": [_change_json(change) for change in self.changes],
        }


def render(report: ChangeReport, output_format: str) -> str:
    """`report` in one of `FORMATS` (`text` as plain lines, without rich)."""
    renderers: dict[str, Callable[[ChangeReport], str]] = {
        "text": plain_text,
        "markdown": ChangeReport.markdown,
        "json": json_text,
        "githubactions": github_actions,
        "junit": junit,
    }
    return renderers[output_format](report)


def where(change: Change) -> str:
    """`GET /api/companies` and, on a second line, the location inside the operation."""
    endpoint = f"{change.method.upper()} {change.path}".strip()
    return "\n".join(part for part in (endpoint, change.location) if part)


def json_text(report: ChangeReport) -> str:
    """The JSON report: sorted keys, two-space indent, a final newline."""
    return canonical_json(report.as_json())


def plain_text(report: ChangeReport) -> str:
    """One block per change, then the summary: readable without a terminal or rich."""
    lines = []
    for change in report.changes:
        lines.append(
            f"{change.level.value:<4}  {change.rule}  {where(change).replace(chr(10), ', ')}"
        )
        lines.append(f"      {change.message}")
    lines.append(report.summary())
    if report.failing and report.hint:
        lines.append(report.hint)
    return "\n".join(lines) + "\n"


# -- GitHub Actions ----------------------------------------------------------------------------


def github_actions(report: ChangeReport) -> str:
    """A workflow command per change, as oasdiff's `githubactions` format writes them:
    `::error title=<rule id>::<where>: <message>` (ERR error, WARN warning, INFO notice),
    shown as annotations of the run and of the pull request."""
    lines = []
    for change in report.changes:
        command = _ANNOTATION[change.level]
        text = f"{where(change).replace(chr(10), ', ')}: {change.message}"
        lines.append(f"::{command} title={_property(change.rule)}::{_data(text)}")
    return "".join(f"{line}\n" for line in lines)


def github_outputs(report: ChangeReport) -> dict[str, str]:
    """The step outputs oasdiff's format sets (append them to `$GITHUB_OUTPUT`)."""
    counts = summarize(report.changes)
    return {
        "error_count": str(counts[Level.ERR.value]),
        "warning_count": str(counts[Level.WARN.value]),
        "info_count": str(counts[Level.INFO.value]),
    }


def append_github_outputs(report: ChangeReport) -> None:
    """Append `github_outputs` to the file `$GITHUB_OUTPUT` names, when it is set (in a
    GitHub Actions step), as oasdiff's format does; raises `OSError`."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as output:
            output.writelines(f"{key}={value}\n" for key, value in github_outputs(report).items())


def _data(text: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# -- JUnit XML ---------------------------------------------------------------------------------


def junit(report: ChangeReport) -> str:
    """JUnit XML (GitLab's test report, Jenkins, ...): one test case per change, named after
    its rule and classed by its endpoint; a change that fails the check (`--fail-on`) is a
    failure, the others pass with their message as output. Without changes there is one
    passing test case, as in oasdiff's format."""
    failures = sum(1 for change in report.changes if report.fails(change))
    tests = str(len(report.changes) or 1)
    counts = {"tests": tests, "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "djgateway check-openapi", **counts, "time": "0"})
    suite = ET.SubElement(root, "testsuite", {"name": _suite_name(report), **counts, "time": "0"})
    for change in report.changes:
        _test_case(suite, report, change)
    if not report.changes:
        ET.SubElement(suite, "testcase", {"name": "no API changes", "classname": "openapi"})
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _suite_name(report: ChangeReport) -> str:
    return f"OpenAPI changes from {report.base} to {report.revision}"


def _test_case(suite: ET.Element, report: ChangeReport, change: Change) -> None:
    endpoint = f"{change.method.upper()} {change.path}".strip() or "document"
    name = f"{change.rule} at {change.location}" if change.location else change.rule
    case = ET.SubElement(suite, "testcase", {"name": name, "classname": endpoint, "time": "0"})
    detail = f"{change.level.value} {change.rule}: {change.message}"
    if report.fails(change):
        attributes = {"message": change.message, "type": change.level.value}
        ET.SubElement(case, "failure", attributes).text = detail
    else:
        ET.SubElement(case, "system-out").text = detail


# -- helpers -----------------------------------------------------------------------------------


def _markdown_row(change: Change) -> str:
    cells = [change.level.value, f"`{change.rule}`", where(change), change.message]
    return "| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "level": change.level.value,
        "rule": change.rule,
        "breaking": change.breaking,
        "direction": change.direction,
        "method": change.method.upper(),
        "path": change.path,
        "location": change.location,
        "message": change.message,
    }
