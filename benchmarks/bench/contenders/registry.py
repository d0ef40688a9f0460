"""How each contender is served: one process, on its own port."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Literal

Interface = Literal["asgi", "wsgi"]


@dataclass(frozen=True)
class Contender:
    key: str
    title: str
    target: str  # "module:attribute"
    interface: Interface
    server: str  # how it is served, for the report
    env: dict[str, str] = field(default_factory=dict)

    def command(self, port: int) -> list[str]:
        if self.interface == "wsgi":
            return [
                *(sys.executable, "-m", "gunicorn", self.target),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
                *("--worker-class", "gthread", "--threads", "4", "--log-level", "warning"),
            ]
        return [
            *(sys.executable, "-m", "uvicorn", self.target),
            *("--host", "127.0.0.1", "--port", str(port), "--no-access-log"),
            *("--log-level", "warning", "--loop", "uvloop", "--http", "httptools"),
        ]


UVICORN = "uvicorn (uvloop, httptools), 1 process"
CONTENDERS = (
    Contender("djgateway", "djgateway", "bench.contenders.djgateway_app:app", "asgi", UVICORN),
    Contender(
        "fastapi", "hand-written FastAPI", "bench.contenders.fastapi_app:app", "asgi", UVICORN
    ),
    Contender(
        "drf",
        "DRF + nested routers + django-filter",
        "bench.contenders.drf_app:application",
        "wsgi",
        "gunicorn, 1 gthread worker, 4 threads",
        {"BENCH_URLCONF": "bench.contenders.drf_urls"},
    ),
    Contender(
        "ninja",
        "django-ninja",
        "bench.contenders.ninja_app:app",
        "asgi",
        f"{UVICORN}, Django's ASGI handler",
        {"BENCH_URLCONF": "bench.contenders.ninja_urls"},
    ),
    Contender(
        "raw",
        "raw limit (Starlette + orjson + SQL)",
        "bench.contenders.raw_app:app",
        "asgi",
        UVICORN,
    ),
)
BY_KEY = {contender.key: contender for contender in CONTENDERS}
