"""The sandbox's database URLs, and the SQLite options that let concurrent writers queue."""

from __future__ import annotations

import sqlite3

import django
import pytest

from djgateway.sandbox.dburl import SQLITE_OPTIONS, database_from_url

IMMEDIATE = django.VERSION >= (5, 1)  # Django 5.1 added the transaction_mode option


def test_a_sqlite_url_begins_write_transactions_immediate_with_a_busy_timeout() -> None:
    relative = database_from_url("sqlite:///data/db.sqlite3")
    absolute = database_from_url("sqlite:////tmp/db.sqlite3")
    assert relative["NAME"] == "data/db.sqlite3"
    assert absolute["NAME"] == "/tmp/db.sqlite3"
    for database in (relative, absolute):
        assert database["ENGINE"] == "django.db.backends.sqlite3"
        assert database["OPTIONS"]["timeout"] == 10
        assert database["OPTIONS"].get("transaction_mode") == ("IMMEDIATE" if IMMEDIATE else None)


def test_each_sqlite_entry_owns_its_options() -> None:
    # Django and the tests change OPTIONS in place: one entry must not change the next.
    first = database_from_url("sqlite:////tmp/a.sqlite3")
    first["OPTIONS"]["timeout"] = 1
    assert database_from_url("sqlite:////tmp/b.sqlite3")["OPTIONS"]["timeout"] == 10
    assert SQLITE_OPTIONS["timeout"] == 10


def test_the_options_are_what_sqlite3_connect_takes() -> None:
    """``timeout`` goes to ``sqlite3.connect`` as is (Django pops ``transaction_mode``)."""
    options = {k: v for k, v in SQLITE_OPTIONS.items() if k != "transaction_mode"}
    sqlite3.connect(":memory:", **options).close()


def test_a_postgres_url_keeps_its_own_options() -> None:
    database = database_from_url("postgres://user:secret@db.example:6543/shop")
    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "user",
        "PASSWORD": "secret",
        "HOST": "db.example",
        "PORT": "6543",
        "OPTIONS": {"connect_timeout": 3},
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite://host/db.sqlite3", "no host part"),
        ("sqlite:///", "the database file path is missing"),
        ("postgres://user:secret@host/", "the database name is missing"),
        ("mysql://user@host/db", "Unsupported database URL scheme"),
    ],
)
def test_a_bad_url_is_refused_with_the_password_masked(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as refused:
        database_from_url(url)
    assert "secret" not in str(refused.value)
