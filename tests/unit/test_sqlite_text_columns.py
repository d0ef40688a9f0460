"""``rows.as_text``: which SQLite columns are read as their stored text."""

from __future__ import annotations

import sqlite3

from djgateway.orm.rows import (
    SQLITE_DECODERS,
    TEXT_MARK,
    _sqlite_datetime,
    _sqlite_text_date,
    as_text,
)


def quote(name: str) -> str:
    return f'"{name}"'


def test_dates_and_datetimes_are_renamed_once_and_read_as_text() -> None:
    uuid_decoder = SQLITE_DECODERS["UUIDField"]
    sql = 'SELECT t."at" AS "at", t."day" AS "day", t."key" AS "key" FROM t'
    decoders = [(0, _sqlite_datetime), (1, SQLITE_DECODERS["DateField"]), (2, uuid_decoder)]
    renamed, kept = as_text(sql, ["at", "day", "key"], decoders, quote)
    assert renamed == (
        f'SELECT t."at" AS "at [{TEXT_MARK}]", t."day" AS "day [{TEXT_MARK}]", '
        't."key" AS "key" FROM t'
    )
    assert kept == [(0, _sqlite_datetime), (1, _sqlite_text_date), (2, uuid_decoder)]


def test_an_alias_found_twice_is_left_alone() -> None:
    sql = 'SELECT t."at" AS "at", (SELECT u."at" AS "at" FROM u) FROM t'
    renamed, kept = as_text(sql, ["at"], [(0, _sqlite_datetime)], quote)
    assert renamed == sql and kept == [(0, _sqlite_datetime)]


def test_the_stored_text_becomes_the_json_pydantic_writes() -> None:
    connection = sqlite3.connect(":memory:", detect_types=sqlite3.PARSE_COLNAMES)
    row = connection.execute(
        f"SELECT '2026-03-01 12:00:00' AS \"a [{TEXT_MARK}]\", "
        f"'2026-03-01 12:00:00.000120' AS \"b [{TEXT_MARK}]\""
    ).fetchone()
    assert [_sqlite_datetime(value) for value in row] == [
        "2026-03-01T12:00:00Z",
        "2026-03-01T12:00:00.000120Z",
    ]


def test_stored_text_that_is_not_canonical_is_written_as_pydantic_writes_it() -> None:
    assert _sqlite_text_date("2026-03-01") == "2026-03-01"
    assert _sqlite_text_date("2026-3-1") == "2026-03-01"
    assert _sqlite_datetime("2026-03-01 12:00:00+02:00") == "2026-03-01T10:00:00Z"
    assert _sqlite_datetime("2026-03-01 12:00:00.000000") == "2026-03-01T12:00:00Z"
    assert _sqlite_datetime("2026-03-01T12:00:00") == "2026-03-01T12:00:00Z"
    uuid_decoder = SQLITE_DECODERS["UUIDField"]
    assert (
        uuid_decoder("0A1B2C3D4E5F60718293A4B5C6D7E8F9") == "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    )
