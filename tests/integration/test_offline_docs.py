"""/docs and /redoc without a network: their files come from the app, not from a CDN.

Through the ASGI app: every URL the pages name is the app's own and answers. In a real
browser: uvicorn serves the sandbox on 127.0.0.1 and Debian's headless ``chromium``, which
can reach no other host, renders Swagger UI (every operation, the Authorize button) and
ReDoc. ``DJGATEWAY_DOCS_SCREENSHOT=/path.png`` keeps a screenshot of the rendered /docs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from djgateway import Gateway, install_offline_docs

REPO = Path(__file__).resolve().parents[2]
JAVASCRIPT = ("text/javascript", "application/javascript")
CONTENT_TYPES = {
    ".js": JAVASCRIPT,
    ".css": ("text/css",),
    ".png": ("image/png",),
}
# Every URL a page names: tags' src / href, Swagger UI's spec URL, its OAuth2 redirect page,
# ReDoc's spec-url.
PAGE_URLS = re.compile(r"""(?:src|href|spec-url)="([^"]+)"|url: '([^']+)'|\+ '([^']+)'""")


def page_urls(html: str) -> list[str]:
    return [next(group for group in match if group) for match in PAGE_URLS.findall(html)]


def assert_local_page(client: TestClient, path: str, root: str = "") -> list[str]:
    """The page at ``path`` names no other host, and every file it names answers 200 with
    its type; returns the URLs it names."""
    page = client.get(root + path)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert re.findall(r"https?://", page.text) == []  # no CDN, no Google fonts, no favicon host
    urls = page_urls(page.text)
    assert urls
    for url in urls:
        assert url.startswith(root + "/"), url
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text[:200])
        kind = answer.headers["content-type"].split(";")[0]
        suffix = Path(url).suffix
        if suffix in CONTENT_TYPES:
            assert kind in CONTENT_TYPES[suffix], (url, kind)
            assert len(answer.content) > 1000, url  # the real file, not a stub
        elif suffix == ".json":
            assert kind == "application/json"
            assert answer.json()["openapi"].startswith("3.")
        else:
            assert kind == "text/html", (url, kind)  # the OAuth2 redirect page
    return urls


@pytest.fixture(scope="module")
def docs_client(sandbox_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(sandbox_app) as client:
        yield client


def test_swagger_ui_is_served_from_the_app(docs_client: TestClient) -> None:
    urls = assert_local_page(docs_client, "/docs")
    assert set(urls) == {
        "/docs-assets/swagger-ui.css",
        "/docs-assets/swagger-ui-bundle.js",
        "/docs-assets/favicon.png",
        "/openapi.json",
        "/docs/oauth2-redirect",
    }
    page = docs_client.get("/docs").text
    assert '"persistAuthorization": true' in page  # the pasted token survives a reload
    assert '"validatorUrl": null' in page  # no badge image from validator.swagger.io
    assert '"deepLinking": true' in page  # FastAPI's defaults are kept
    assert "<title>FastAPI - Swagger UI</title>" in page


def test_redoc_is_served_from_the_app(docs_client: TestClient) -> None:
    urls = assert_local_page(docs_client, "/redoc")
    assert set(urls) == {
        "/docs-assets/redoc.standalone.js",
        "/docs-assets/favicon.png",
        "/openapi.json",
    }


def test_the_pages_are_not_in_the_document(docs_client: TestClient) -> None:
    paths = docs_client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if not path.startswith("/api/")]


def test_an_unknown_asset_is_a_problem_404(docs_client: TestClient) -> None:
    for path in ("/docs-assets/missing.js", "/docs-assets/../gateway.py", "/docs-assets/"):
        answer = docs_client.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 404


def test_urls_follow_the_root_path(sandbox_app: FastAPI) -> None:
    with TestClient(sandbox_app, root_path="/gateway") as client:
        docs = assert_local_page(client, "/docs", root="/gateway")
        redoc = assert_local_page(client, "/redoc", root="/gateway")
    assert "/gateway/docs-assets/swagger-ui-bundle.js" in docs
    assert "/gateway/docs/oauth2-redirect" in docs
    assert "/gateway/openapi.json" in redoc


def test_gateway_app_options_choose_the_urls() -> None:
    app = Gateway(["catalog"]).app(
        prefix="/api", docs_url="/swagger", redoc_url=None, openapi_url="/spec.json"
    )
    assert (app.docs_url, app.redoc_url) == ("/swagger", None)
    with TestClient(app) as client:
        urls = assert_local_page(client, "/swagger")
        assert "/spec.json" in urls
        for gone in ("/docs", "/redoc"):
            answer = client.get(gone)
            assert answer.status_code == 404
            assert answer.headers["content-type"] == "application/problem+json"


def test_no_document_no_pages() -> None:
    app = Gateway(["catalog"]).app(prefix="/api", openapi_url=None)
    with TestClient(app) as client:
        for path in ("/docs", "/redoc", "/docs-assets/swagger-ui-bundle.js"):
            assert client.get(path).status_code == 404, path


def test_an_own_app_keeps_its_urls_without_the_cdn() -> None:
    app = FastAPI(title="own", docs_url="/api-docs", swagger_ui_parameters={"deepLinking": False})
    install_offline_docs(app, assets_url="/static/docs")
    with TestClient(app) as client:
        urls = assert_local_page(client, "/api-docs")
        assert "/static/docs/swagger-ui-bundle.js" in urls
        assert '"deepLinking": false' in client.get("/api-docs").text  # the app's own wins
        assert "/static/docs/redoc.standalone.js" in assert_local_page(client, "/redoc")
        assert client.get("/openapi.json").status_code == 200  # FastAPI's route is kept


# --- a real browser, offline ---------------------------------------------------------------

SERVE_SANDBOX = """
import socket, sys
from pathlib import Path

import uvicorn

from djgateway.cli.serve import SANDBOX_APP, prepare_sandbox

prepare_sandbox()  # migrate and load the demo data, as `djgateway serve` does
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))  # the system picks a free port, kept until uvicorn listens
server = uvicorn.Server(uvicorn.Config(SANDBOX_APP, factory=True, log_level="warning"))
Path(sys.argv[1]).write_text(str(listener.getsockname()[1]), encoding="utf-8")
server.run(sockets=[listener])
"""

# No DNS but for 127.0.0.1, and every other connection through a proxy that is not there
# (port 9, discard): loopback bypasses it, anything else fails.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=127.0.0.1:9",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("no chromium binary (apt-get install chromium): the browser tests need it")
    return found


@pytest.fixture(scope="module")
def served_sandbox(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of uvicorn serving the sandbox on a throwaway SQLite file."""
    work = tmp_path_factory.mktemp("served-sandbox")
    port_file, log = work / "port", work / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DJGATEWAY_"))}
    env.update(
        DJGATEWAY_DATABASE_URL=f"sqlite:///{work / 'sandbox.sqlite3'}",  # an absolute path
        PYTHONPATH=str(REPO),
    )
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE_SANDBOX, str(port_file)],
            cwd=work,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield _wait_until_served(server, port_file, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_served(server: subprocess.Popen[bytes], port_file: Path, log: Path) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the sandbox server exited ({server.returncode}):\n{log.read_text()}")
        if port_file.exists() and port_file.read_text():
            base = f"http://127.0.0.1:{port_file.read_text()}"
            try:
                if httpx.get(f"{base}/openapi.json", timeout=10).status_code == 200:
                    return base
            except httpx.TransportError:
                pass  # not listening yet
        time.sleep(0.25)
    pytest.fail(f"the sandbox server did not answer within 120 s:\n{log.read_text()}")


def browse(chromium: str, url: str, profile: Path, *extra: str) -> str:
    """The DOM of ``url`` once its scripts have run (a virtual time budget: network waits do
    not count), in headless chromium that reaches 127.0.0.1 only."""
    command = [
        chromium,
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *OFFLINE_FLAGS,
        "--window-size=1280,1800",
        "--virtual-time-budget=30000",
        *extra,
        "--dump-dom",
        url,
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def test_the_test_browser_reaches_no_other_host(chromium: str, tmp_path: Path) -> None:
    """The control: a script from the CDN FastAPI's own /docs uses does not load."""
    page = tmp_path / "cdn.html"
    page.write_text(
        '<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js">'
        "</script><script>document.title = typeof SwaggerUIBundle</script>",
        encoding="utf-8",
    )
    dom = browse(chromium, page.as_uri(), tmp_path / "profile")
    assert "<title>undefined</title>" in dom


def test_swagger_ui_renders_offline(chromium: str, served_sandbox: str, tmp_path: Path) -> None:
    document = httpx.get(f"{served_sandbox}/openapi.json", timeout=30).json()
    operations = sum(len(item) for item in document["paths"].values())
    assert document["components"]["securitySchemes"]["JWT"]["scheme"] == "bearer"
    screenshot = Path(os.environ.get("DJGATEWAY_DOCS_SCREENSHOT") or tmp_path / "docs.png")
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.unlink(missing_ok=True)

    dom = browse(
        chromium, f"{served_sandbox}/docs", tmp_path / "profile", f"--screenshot={screenshot}"
    )

    # every operation of the document is an expanded tag's block, the bearer scheme's
    # Authorize button is there, and the secured operations show their lock
    blocks = re.findall(r'class="opblock opblock-([a-z]+)[ "]', dom)
    assert len(blocks) == operations
    assert re.search(r'<button class="btn authorize [^"]*"><span>Authorize</span>', dom)
    assert 'data-path="/api/companies/{company_id}/departments"' in dom
    assert "authorization__btn" in dom
    assert "djgateway sandbox" in dom
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_redoc_renders_offline(chromium: str, served_sandbox: str, tmp_path: Path) -> None:
    document = httpx.get(f"{served_sandbox}/openapi.json", timeout=30).json()
    operation_ids = {
        op["operationId"] for item in document["paths"].values() for op in item.values()
    }

    dom = browse(chromium, f"{served_sandbox}/redoc", tmp_path / "profile")

    # the menu names every operation, and each has its section, headed by its summary
    assert "redoc-wrap" in dom
    assert set(re.findall(r'data-item-id="tag/[^"/]+/operation/([^"]+)"', dom)) == operation_ids
    headings = re.findall(r"<h2[^>]*><a [^>]*></a>([^<]+?)\s*</h2>", dom)
    assert {"List categories", "Create a company department"} <= set(headings)
