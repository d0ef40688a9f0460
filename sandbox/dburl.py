"""Minimal ``DATABASE_URL``-style parser for the sandbox (stdlib only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import django

__all__ = ["database_from_url"]

_POSTGRES_SCHEMES = {"postgres", "postgresql"}

# SQLite allows one writer at a time. A deferred transaction (Django's default) that reads
# before it writes fails at once with "database is locked" when another writer holds the lock,
# whatever the busy timeout; one begun IMMEDIATE takes the write lock first and waits for it.
SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 10,  # seconds a writer waits for the lock before its request is a 503
    # Django 5.1 added the option; 5.0 would hand it to sqlite3.connect(), which refuses it.
    **({"transaction_mode": "IMMEDIATE"} if django.VERSION >= (5, 1) else {}),
}


def _redact(url: str) -> str:
    """Return ``url`` with any password masked, for use in error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:***@{hostinfo}").geturl()


def database_from_url(url: str) -> dict[str, Any]:
    """Turn a database URL into a Django ``DATABASES`` entry.

    Supported forms:

    * ``sqlite:///relative/path.sqlite3`` (relative to the current working directory)
    * ``sqlite:////absolute/path.sqlite3`` (both with :data:`SQLITE_OPTIONS`: concurrent
      writers wait their turn instead of failing)
    * ``postgres://user:password@host:port/name`` (``postgresql://`` works too; the password
      may be empty and the port defaults to 5432)
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    shown = _redact(url)

    if scheme == "sqlite":
        # "sqlite:///rel/path" -> path "/rel/path"; "sqlite:////abs/path" -> path "//abs/path".
        if parts.netloc:
            raise ValueError(
                f"Invalid SQLite URL {shown!r}: expected 'sqlite:///relative/path' or "
                "'sqlite:////absolute/path' (no host part)."
            )
        name = unquote(parts.path[1:])
        if not name:
            raise ValueError(f"Invalid SQLite URL {shown!r}: the database file path is missing.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": {**SQLITE_OPTIONS}}

    if scheme in _POSTGRES_SCHEMES:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError(f"Invalid PostgreSQL URL {shown!r}: the database name is missing.")
        try:
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"Invalid PostgreSQL URL {shown!r}: bad port number.") from exc
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(port or 5432),
            # An unreachable server is a 503 within seconds, not a hung request.
            "OPTIONS": {"connect_timeout": 3},
        }

    raise ValueError(
        f"Unsupported database URL scheme {parts.scheme!r} in {shown!r}: "
        "use 'sqlite:///path', 'postgres://...' or 'postgresql://...'."
    )
