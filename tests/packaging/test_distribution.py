"""The distribution ships every package of the source tree (cli/ and sandbox/ mapped in)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAPPED = {"djgateway": "djgateway", "cli": "djgateway.cli", "sandbox": "djgateway.sandbox"}


def source_packages() -> set[str]:
    packages = set()
    for top, name in MAPPED.items():
        for init in (ROOT / top).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / top).parts
            packages.add(".".join((name, *relative)))
    return packages


def test_every_source_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == source_packages()
    assert config["package-dir"] == {"djgateway.cli": "cli", "djgateway.sandbox": "sandbox"}
