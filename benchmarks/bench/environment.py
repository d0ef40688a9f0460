"""The machine and the versions a run used, for the report."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "djgateway",
    "Django",
    "fastapi",
    "starlette",
    "pydantic",
    "pydantic-core",
    "uvicorn",
    "uvloop",
    "httptools",
    "gunicorn",
    "djangorestframework",
    "drf-nested-routers",
    "django-filter",
    "django-ninja",
    "orjson",
    "psycopg",
)


def describe(
    options: argparse.Namespace, argv: list[str], cpus: tuple[str | None, ...]
) -> dict[str, Any]:
    """The run's settings, the machine and the versions."""
    return {
        "db": options.db,
        "db_label": "SQLite" if options.db == "sqlite" else "PostgreSQL",
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/run.py " + shlex.join(argv),
        "conn_max_age": options.conn_max_age,
        "pg_pool": options.pg_pool,
        "load": {
            "tool": "wrk",
            "connections": options.connections,
            "threads": options.threads,
            "duration": options.duration,
            "rounds": options.rounds,
            "warmup": options.warmup,
            "server_cpu": cpus[0],
            "load_cpu": cpus[1],
        },
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
        "machine": machine(),
        "versions": versions(options.db),
    }


def machine() -> dict[str, str]:
    memory = _first("/proc/meminfo", "MemTotal:").split()[1:2] or ["0"]
    return {
        "cpu": _first("/proc/cpuinfo", "model name").partition(":")[2].strip() or "?",
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory[0]) / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def versions(db: str) -> dict[str, str]:
    found = {name: _version(name) for name in PACKAGES}
    changed = _git("status", "--porcelain", "--", "djgateway", "sandbox").splitlines()
    found["djgateway commit"] = _git("rev-parse", "--short", "HEAD") + (
        f" + {len(changed)} changed files in djgateway/ and sandbox/" if changed else ""
    )
    found["wrk"] = _wrk()
    if db == "sqlite":
        found["SQLite"] = sqlite3.sqlite_version
    else:
        found["PostgreSQL"] = _postgres()
    return found


def _first(path: str, prefix: str) -> str:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return ""
    return next((line for line in lines if line.startswith(prefix)), "")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _wrk() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).split("[")[0].strip().removeprefix("wrk ")


def _postgres() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])
