"""The README's "Use it in a project" runs as written: its files are written to a scratch
directory, its shell lines run there, and each server it starts is called over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.readme import blocks, named_files

SECTION = "Use it in a project"
SERVER_COMMANDS = ("uvicorn ", "djgateway serve")


def shell_lines() -> list[str]:
    lines = [line.split("  #", 1)[0].strip() for line in blocks("bash", SECTION)[0].splitlines()]
    return [line for line in lines if line]


def server_commands() -> list[str]:
    # the README's servers, and the application of one's own that its last block defines
    return [
        *(line for line in shell_lines() if line.startswith(SERVER_COMMANDS)),
        "uvicorn own_app:app",
    ]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readme-project")
    files = named_files(SECTION)
    for name in ("settings.py", "library/models.py", "api.py", "own_app.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(files[name], encoding="utf-8")
    (root / "library" / "__init__.py").write_text("")  # "with an empty library/__init__.py"
    return root


def environment() -> dict[str, str]:
    """This interpreter's scripts first; none of the test run's own Django settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJGATEWAY_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(params=server_commands())
def server(request: pytest.FixtureRequest, project: Path) -> Iterator[httpx.Client]:
    """A fresh database set up by the README's lines, then one of its servers."""
    (project / "library.sqlite3").unlink(missing_ok=True)
    setup = [line for line in shell_lines() if not line.startswith(SERVER_COMMANDS)]
    done = subprocess.run(
        ["bash", "-ec", "\n".join(setup)],
        check=False,
        cwd=project,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    exports = [line for line in setup if line.startswith("export ")]
    port = free_port()
    command = "\n".join([*exports, f"exec {request.param} --port {port}"])
    process = subprocess.Popen(
        ["bash", "-ec", command],
        cwd=project,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            wait_until_up(client, process)
            yield client
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_until_up(client: httpx.Client, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}: {process.stderr.read()}")  # type: ignore[union-attr]
        try:
            if client.get("/openapi.json").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail("the server did not answer within 60 s")


def test_the_project_serves_what_the_readme_says(server: httpx.Client) -> None:
    created = server.post("/api/authors", json={"name": "Le Guin"})
    assert (created.status_code, created.json()) == (201, {"id": 1, "name": "Le Guin"})
    book = server.post("/api/authors/1/books", json={"title": "The Dispossessed"})
    assert book.status_code == 201, book.text
    found = server.get("/api/authors/1/books", params={"search": "dispossessed"}).json()
    assert [item["title"] for item in found["items"]] == ["The Dispossessed"]
    assert server.get("/api/authors/2/books").status_code == 404
    docs = server.get("/docs")
    assert docs.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in docs.text  # served here, not from a CDN
    unknown = server.get("/api/nowhere")
    assert (unknown.status_code, unknown.headers["content-type"]) == (
        404,
        "application/problem+json",
    )


def test_the_readme_error_example_is_the_answer(server: httpx.Client) -> None:
    (example,) = blocks("json", SECTION)  # under "Behaviour"
    refused = server.post("/api/authors", json={"name": ""})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() == json.loads(example)
