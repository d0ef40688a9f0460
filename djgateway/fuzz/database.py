"""Put a SQLite database back as it was, between the scenarios of the stateful phase."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


def sqlite_restorer(path: Path) -> Callable[[], None]:
    """Snapshot the database file at ``path`` now; the function returned restores it.

    SQLite's online backup copies the pages into the live file, so the application's open
    connections (one per worker thread) stay valid and see the restored rows; AUTOINCREMENT
    counters live in the file too, so ids repeat as well."""
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    source = sqlite3.connect(path)
    try:
        source.backup(snapshot)
    finally:
        source.close()

    def restore() -> None:
        live = sqlite3.connect(path)
        try:
            snapshot.backup(live)
        finally:
            live.close()

    return restore
