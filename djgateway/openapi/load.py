"""Reading the inputs of a check: OpenAPI documents (JSON or YAML) and severity-level files.

Standard library only; PyYAML is imported when a YAML document is read, so comparing two JSON
files needs no third-party package. Every problem is an `InputError` whose message is one line
for the user.

YAML is read the way OpenAPI tools written in Go and JavaScript read it (YAML 1.2 scalars):
mapping keys stay the text written (`200:` is the status code "200", not an integer), dates stay
strings (`x-sunset: 2025-01-01`), and only `true`/`false` are booleans (`yes`, `no`, `on`,
`off` are strings, as in an enum of answers).
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from pathlib import Path
from typing import Any

from .changes import Level

JSON_SUFFIXES = (".json",)
YAML_SUFFIXES = (".yaml", ".yml")
NONE = "none"  # a severity level that turns a rule off
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class InputError(ValueError):
    """An input cannot be read or is not what the check expects; the message is one line."""


class MissingInputError(InputError):
    """The input file does not exist (the command line adds where it looked)."""


def read_document(path: Path) -> dict[str, Any]:
    """The OpenAPI document in `path`: JSON for `.json`, YAML for `.yaml`/`.yml`, otherwise
    JSON when the text starts with `{` and YAML when it does not."""
    text = read_text(path)
    return parse_document(text, str(path), document_syntax(path, text))


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingInputError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def document_syntax(path: Path, text: str) -> str:
    """ "json" or "yaml": by the suffix, else by the first character (JSON is an object)."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in YAML_SUFFIXES:
        return "yaml"
    return "json" if text.lstrip().startswith("{") else "yaml"


def parse_document(text: str, name: str, syntax: str = "json") -> dict[str, Any]:
    """Parse `text` (named `name` in messages) as a JSON or YAML object."""
    if syntax == "yaml":
        document = _parse_yaml(text, name)
    else:
        try:
            document = json.loads(text)
        except ValueError as error:
            raise InputError(f"{name} is not JSON: {error}") from None
    if not isinstance(document, dict):
        kind = "a YAML mapping" if syntax == "yaml" else "a JSON object"
        raise InputError(f"{name} is not an OpenAPI document ({kind})")
    return document


def render_document(document: dict[str, Any], path: Path) -> str:
    """`document` as stored in `path`: canonical JSON, or YAML with sorted keys for
    `.yaml`/`.yml` (read back by `read_document` to the same document)."""
    from .canonical import canonical_json

    if path.suffix.lower() not in YAML_SUFFIXES:
        return canonical_json(document)
    yaml = _yaml(str(path))
    text: str = yaml.dump(
        document, Dumper=yaml.SafeDumper, sort_keys=True, allow_unicode=True, width=100
    )
    return text


def read_severity_levels(path: Path) -> dict[str, Level | None]:
    """oasdiff's `--severity-levels` file: lines `<rule-id> err|warn|info|none` (`none` turns
    the rule off, as `None`); blank lines and `#` comments are allowed."""
    levels: dict[str, Level | None] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        words = line.partition("#")[0].split()
        if not words:
            continue
        if len(words) != 2 or not _RULE_ID.match(words[0]):
            raise InputError(f"{path}, line {number}: expected '<rule-id> <level>', got {line!r}")
        rule, level = words[0], words[1].upper()
        if level == NONE.upper():
            levels[rule] = None
        elif level in Level.__members__:
            levels[rule] = Level[level]
        else:
            raise InputError(
                f"{path}, line {number}: unknown level {words[1]!r} (err, warn, info or none)"
            )
    return levels


# -- YAML ---------------------------------------------------------------------------------------


def _parse_yaml(text: str, name: str) -> Any:
    yaml = _yaml(name)
    try:
        document = yaml.load(text, Loader=_loader())  # a subclass of the safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise InputError(f"{name} is not YAML: {problem}{where}") from None
    except yaml.YAMLError as error:
        raise InputError(f"{name} is not YAML: {' '.join(str(error).split())}") from None
    try:
        return _json_value(document)
    except RecursionError:
        raise InputError(
            f"{name} is not an OpenAPI document (a YAML alias contains itself)"
        ) from None
    except TypeError as error:
        raise InputError(f"{name} holds a value JSON cannot: {error}") from None


def _yaml(name: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise InputError(
            f"{name} is YAML, and reading YAML needs PyYAML: pip install pyyaml "
            "(or convert the document to JSON)"
        ) from None
    return yaml


@functools.cache
def _loader() -> type:
    """PyYAML's safe loader (the C one when built), with YAML 1.2 booleans, dates as text and
    every mapping key as the text written."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dropped = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag not in dropped]
        for first, entries in base.yaml_implicit_resolvers.items()
    }

    class Loader(base):  # type: ignore[valid-type,misc]
        yaml_implicit_resolvers = resolvers

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            self.flatten_mapping(node)  # `<<` merge keys
            return {
                _key(key_node): self.construct_object(value_node, deep=deep)
                for key_node, value_node in node.value
            }

    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return Loader


def _key(node: Any) -> str:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return str(node.value)  # `200`, `true`, `1.0` as written: keys of JSON are strings
    raise yaml.constructor.ConstructorError(
        None, None, "a mapping key must be a scalar", node.start_mark
    )


def _json_value(node: Any) -> Any:
    """`node` with explicit YAML dates as ISO text; a value JSON has no form for: TypeError."""
    if isinstance(node, dict):
        return {key: _json_value(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_json_value(item) for item in node]
    if isinstance(node, float) and not math.isfinite(node):
        raise TypeError("NaN or an infinity")
    if node is None or isinstance(node, str | int | float):
        return node
    if isinstance(node, datetime.date):
        return node.isoformat()
    raise TypeError(f"a {type(node).__name__}")
