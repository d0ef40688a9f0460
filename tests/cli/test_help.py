"""`--help` of every command reads as written: no type beside a flag, no markup left over."""

from __future__ import annotations

import pytest

from tests.cli.support import invoke

COMMANDS = ["serve", "routes", "openapi", "check-openapi", "fuzz", "token"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_flags_without_a_type_and_no_raw_markup(command: str) -> None:
    result = invoke(command, "--help")

    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert "``" not in result.stdout
    assert "--app" in result.stdout or command == "token"


def test_token_help_shows_the_header_as_code() -> None:
    assert "Authorization: Bearer <token>" in invoke("token", "--help").stdout
