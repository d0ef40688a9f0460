"""The raw limit's database layer: one connection, hand-written SQL, rows → JSON-ready dicts.

SQLite (``sqlite3``) and PostgreSQL (``psycopg``, autocommit, its default statement
preparation) differ only in placeholders, case-insensitive matching and how Django stored
UUIDs and datetimes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

Row = tuple[Any, ...]
Item = dict[str, Any]

COMPANY = ("id", "tenant_id", "name", "founded", "created_at", "updated_at")
DEPARTMENT = ("id", "company_id", "name")
TEAM = ("id", "department_id", "name", "headcount")


class IntegrityConflictError(Exception):
    """A unique constraint refused a write."""


class Database:
    """Counts the statements it runs (the SQL-per-request column of the report)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.statements = 0
        self.sqlite = parts.scheme == "sqlite"
        if self.sqlite:
            self._connection: Any = sqlite3.connect(
                unquote(parts.path[1:]), isolation_level=None, check_same_thread=False, timeout=20
            )
            self._connection.execute("PRAGMA foreign_keys = ON")
            self._integrity: type[Exception] = sqlite3.IntegrityError
            self.company: Callable[[Row], Item] = _sqlite_company
        else:
            import psycopg

            self._connection = psycopg.connect(
                host=parts.hostname,
                port=parts.port or 5432,
                user=unquote(parts.username or ""),
                password=unquote(parts.password or "") or None,
                dbname=unquote(parts.path.lstrip("/")),
                autocommit=True,
                options="-c TimeZone=UTC",
            )
            self._integrity = psycopg.errors.IntegrityError
            self.company = _native_company

    def sql(self, statement: str) -> str:
        """Statements are written with ``%s``; SQLite wants ``?``."""
        return statement.replace("%s", "?") if self.sqlite else statement

    def istartswith(self, column: str) -> str:
        if self.sqlite:
            return f"{column} LIKE %s ESCAPE '\\'"
        return f"UPPER({column}::text) LIKE UPPER(%s) ESCAPE '\\'"

    def rows(self, statement: str, params: Sequence[Any]) -> list[Row]:
        self.statements += 1
        try:
            return list(self._connection.execute(statement, params).fetchall())
        except self._integrity as error:
            raise IntegrityConflictError(str(error)) from None


def like_prefix(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def items(columns: tuple[str, ...], rows: list[Row]) -> list[Item]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _native_company(row: Row) -> Item:
    return dict(zip(COMPANY, row, strict=True))


def _sqlite_company(row: Row) -> Item:
    """Django stores UUIDs as 32 hex digits and datetimes as naive UTC text on SQLite."""
    pk, tenant, name, founded, created, updated = row
    return {
        "id": pk,
        "tenant_id": f"{tenant[:8]}-{tenant[8:12]}-{tenant[12:16]}-{tenant[16:20]}-{tenant[20:]}",
        "name": name,
        "founded": founded,
        "created_at": f"{created.replace(' ', 'T')}Z",
        "updated_at": f"{updated.replace(' ', 'T')}Z",
    }
