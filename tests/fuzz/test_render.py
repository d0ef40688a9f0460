"""The summary ``djgateway fuzz`` prints, as exact text."""

from __future__ import annotations

import io
from collections import Counter

from rich.console import Console

from djgateway.cli.fuzz import FuzzSummary
from djgateway.fuzz import FuzzFailure, FuzzReport, OperationStats
from djgateway.fuzz.report import link_resource

READ = "POST /items -> [201] read -> GET /items/{item_id}"
DELETE = "POST /items -> [201] delete -> DELETE /items/{item_id}"


def render(report: FuzzReport, width: int = 100, min_links: int = 0) -> str:
    output = io.StringIO()
    Console(file=output, width=width, color_system=None).print(FuzzSummary(report, min_links))
    return "".join(line.rstrip() + "\n" for line in output.getvalue().splitlines())


def report(*failures: FuzzFailure) -> FuzzReport:
    found = FuzzReport(
        seed=7,
        max_examples=5,
        elapsed=1.25,
        operations={
            "GET /boom": OperationStats(3, Counter({500: 3}), len(failures)),
            "GET /items/{item_id}": OperationStats(12, Counter({200: 9, 422: 3})),
        },
        failures=list(failures),
        authenticated=True,
        phases=Counter({"coverage": 13, "stateful": 2}),
    )
    found.add_links([READ, DELETE])
    found.follow_link(READ)
    return found


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
        "┏━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━┓\n"
        "┃ method ┃ path             ┃ requests ┃        answers ┃ failures ┃\n"
        "┡━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━┩\n"
        "│ GET    │ /boom            │        3 │         500: 3 │        1 │\n"
        "│ GET    │ /items/{item_id} │       12 │ 200: 9, 422: 3 │        0 │\n"
        "└────────┴──────────────────┴──────────┴────────────────┴──────────┘\n"
        "Links followed\n"
        "┏━━━━━━━━━━┳━━━━━━━━━━┓\n"
        "┃ resource ┃ followed ┃\n"
        "┡━━━━━━━━━━╇━━━━━━━━━━┩\n"
        "│ /items   │      1/2 │\n"
        "└──────────┴──────────┘\n"
        "15 requests (coverage 13, stateful 2) in 1.2 s, seed 7, 5 examples per operation, 1/2 "
        "links\nfollowed.\n"
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
    assert render(report()).endswith("followed.\n\nNo failures.\n")


def test_too_few_links_are_said_last() -> None:
    assert render(report(), min_links=2).endswith(
        "No failures.\nOnly 1 links followed, fewer than --min-links 2.\n"
    )


def test_long_paths_wrap_instead_of_being_cut() -> None:
    found = report()
    teams = "/api/companies/{company_id}/departments/{department_id}/teams"
    for method in ("GET", "PATCH"):
        found.operations[f"{method} {teams}/{{team_id}}"] = OperationStats(1, Counter({200: 1}))

    text = render(found, width=70)

    assert "…" not in text
    rows = [line for line in text.splitlines() if "{team_id}" in line or "│ PATCH" in line]
    assert any(line.startswith("│ PATCH  │") for line in rows)
    cells = "".join(line.split("│")[2].strip() for line in text.splitlines() if line.count("│") > 4)
    assert f"{teams}/{{team_id}}" in cells


def test_a_link_counts_for_the_collection_it_leads_to() -> None:
    assert link_resource("POST /a -> [201] x -> GET /a/{a_id}/b/{b_id}") == "/a/{a_id}/b"
    assert link_resource("POST /a -> [201] x -> POST /a/{a_id}/b") == "/a/{a_id}/b"
    assert link_resource("POST /a -> [201] x -> GET /a/{a_id}/b:aggregate/{f}") == "/a/{a_id}/b"


def test_progress_shows_a_bar_per_phase_only_once_it_moves() -> None:
    from rich.progress import Progress

    from djgateway.cli.fuzz import _progress_updater
    from djgateway.fuzz import Progress as Step

    progress = Progress(console=Console(file=io.StringIO()))
    update = _progress_updater(progress)
    update(Step("examples", 0, 40, 0))  # skipped: never moves
    update(Step("coverage", 0, 40, 0))
    update(Step("coverage", 1, 40, 0))
    update(Step("stateful", 5, 120, 1))

    shown = [(task.description, task.completed, task.total) for task in progress.tasks]
    assert shown == [("coverage", 1, 40), ("stateful", 5, 120)]
