"""Count SQL statements from every thread (FastAPI runs endpoints in worker threads)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends import utils


class SqlLog:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self._lock = threading.Lock()

    def add(self, sql: str) -> None:
        with self._lock:
            self.statements.append(sql)

    def clear(self) -> None:
        with self._lock:
            self.statements.clear()

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def capture_sql() -> Iterator[SqlLog]:
    log = SqlLog()
    original_execute = utils.CursorWrapper.execute
    original_executemany = utils.CursorWrapper.executemany

    def execute(self: Any, sql: str, params: Any = None) -> Any:
        log.add(sql)
        return original_execute(self, sql, params)

    def executemany(self: Any, sql: str, param_list: Any) -> Any:
        log.add(sql)
        return original_executemany(self, sql, param_list)

    utils.CursorWrapper.execute = execute  # type: ignore[method-assign]
    utils.CursorWrapper.executemany = executemany  # type: ignore[method-assign]
    try:
        yield log
    finally:
        utils.CursorWrapper.execute = original_execute  # type: ignore[method-assign]
        utils.CursorWrapper.executemany = original_executemany  # type: ignore[method-assign]
