"""The README's code blocks, as the tests that run them read them.

A Python block that starts with a `# <file>.py` comment is that file of an example project;
tests look blocks up by that name, so reordering the README does not reorder the tests.
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", flags=re.DOTALL)


def blocks(language: str, section: str | None = None) -> list[str]:
    """The README's `language` blocks, in order (only those of `## section` when given)."""
    text = README.read_text(encoding="utf-8")
    if section is not None:
        text = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [body for lang, body in _BLOCK.findall(text) if lang == language]


def named_files(section: str | None = None) -> dict[str, str]:
    """`{"api.py": source}` for every Python block whose first line names its file."""
    files = {}
    for body in blocks("python", section):
        first = body.split("\n", 1)[0]
        match = re.fullmatch(r"# ([\w/]+\.py)\b.*", first)
        if match:
            files[match.group(1)] = body
    return files


def named_file(name: str) -> str:
    return named_files()[name]
