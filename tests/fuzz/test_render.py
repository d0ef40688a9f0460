"""The summary ``djgateway fuzz`` prints, as exact text."""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console

from djgateway.cli.fuzz import FuzzSummary
from djgateway.fuzz import FuzzFailure, FuzzReport, OperationStats


def render(report: FuzzReport) -> str:
    output = io.StringIO()
    Console(file=output, width=100, color_system=None).print(FuzzSummary(report))
    return "".join(line.rstrip() + "\n" for line in output.getvalue().splitlines())


def report(*failures: FuzzFailure) -> FuzzReport:
    return FuzzReport(
        seed=7,
        max_examples=5,
        elapsed=1.25,
        operations={
            "GET /boom": OperationStats(3, Counter({500: 3}), len(failures)),
            "GET /items/{item_id}": OperationStats(12, Counter({200: 9, 422: 3})),
        },
        failures=list(failures),
        links=(1, 2),
        authenticated=True,
    )


SERVER_ERROR = FuzzFailure(
    check="not_a_server_error",
    code="ST101",
    title="Server error",
    operation="GET /boom",
    message="",
    reproduction=("curl -X GET http://127.0.0.1:8000/boom",),
    response="500 Internal Server Error",
)


def test_a_failure_is_shown_with_its_check_response_and_reproduction() -> None:
    assert render(report(SERVER_ERROR)) == (
        "Operations\n"
        "┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━┓\n"
        "┃ operation            ┃ requests ┃        answers ┃ failures ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━┩\n"
        "│ GET /boom            │        3 │         500: 3 │        1 │\n"
        "│ GET /items/{item_id} │       12 │ 200: 9, 422: 3 │        0 │\n"
        "└──────────────────────┴──────────┴────────────────┴──────────┘\n"
        "15 requests in 1.2 s, seed 7, 5 examples per operation, 1/2 links followed.\n"
        "\n"
        "1. ST101 Server error [not_a_server_error]\n"
        "   GET /boom\n"
        "   Response: 500 Internal Server Error\n"
        "   Reproduce with:\n"
        "     curl -X GET http://127.0.0.1:8000/boom\n"
        "\n"
        "1 failure. Run again with --seed 7 to repeat this run.\n"
        "The reproductions hide the token: send Authorization: Bearer <token>.\n"
    )


def test_a_clean_run_ends_with_no_failures() -> None:
    assert render(report()).endswith(
        "15 requests in 1.2 s, seed 7, 5 examples per operation, 1/2 links followed.\n"
        "\n"
        "No failures.\n"
    )
