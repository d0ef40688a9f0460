"""W006: a SQLite database the gateway writes to, whose write transactions begin DEFERRED."""

from __future__ import annotations

from django.db import connections, router
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from ..errors import Problem
from .types import GatewayPlan

WAITING_MODES = {"IMMEDIATE", "EXCLUSIVE"}  # both take the write lock at BEGIN, and wait for it


def sqlite_write_warnings(plan: GatewayPlan) -> list[Problem]:
    """One warning per SQLite database that writable resources write to without
    ``transaction_mode: "IMMEDIATE"``.

    Django begins a transaction DEFERRED by default: it reads (the parent check, uniqueness,
    the row lock) under a shared lock, then asks for the write lock. SQLite refuses that
    upgrade at once while another connection is writing, whatever the busy timeout, so
    concurrent writers get 503s. Begun IMMEDIATE, a transaction waits for the lock instead.
    """
    aliases = {
        router.db_for_write(resource.model.model) or "default"
        for resource in plan
        if any(op.method != "GET" for op in resource.operations)
    }
    return [
        Problem(
            "djgateway.W006",
            f"DATABASES[{alias!r}] (SQLite): write transactions begin DEFERRED, so a write "
            "arriving while another is in progress fails at once with a 503 (database is "
            "locked) instead of waiting its turn; add 'transaction_mode': 'IMMEDIATE' (Django "
            "5.1+) and a busy 'timeout' in seconds, such as 10, to its OPTIONS",
        )
        for alias in sorted(aliases)
        if _defers_writes(alias)
    ]


def _defers_writes(alias: str) -> bool:
    if alias not in connections.settings:
        return False  # Django reports an unknown alias itself, on first use
    connection = connections[alias]  # the backend's wrapper only: nothing is opened
    if not isinstance(connection, SQLiteWrapper) or connection.is_in_memory_db():
        return False  # one connection per in-memory database: no concurrent writer
    mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") or ""
    return str(mode).upper() not in WAITING_MODES
