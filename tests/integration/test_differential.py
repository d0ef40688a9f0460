"""Differential oracle: the read fast paths answer byte for byte what the slow path answers.

One database, two gateways over the oracle app (``tests/oracle``): as configured
(``fast_paths=True``: compiled statements and plain rows, ``plan/read_path.py``) and with
``fast_paths=False`` (every read through a queryset and the read schema). Hypothesis (fixed
seed) generates rows, inserted with raw SQL, including stored forms Django itself would not
write (SQLite datetimes with an offset or a ``.000000`` fraction, dates as ``2026-3-1``,
upper-case UUID text, infinite floats, over-long text). List pages (default, ``?limit=``,
``?offset=``, ``?fields=``, ``?order_by=`` on each orderable column, cursor walks to the end,
filters) and rows must come back with the same status, body and ETag from both, and neither
may fail (5xx).

Two families of tables are read: ``/parents`` (every built-in field type: a page of them is
never plain, only ``?fields=`` makes one) and ``/plain-parents`` (only the types a plain read
decodes, so that its default pages and rows take the compiled statements too).

The settings variants run this module too (one process each: time zones are read once):

    pytest tests/integration/test_differential.py
    DJANGO_SETTINGS_MODULE=tests.settings_naive pytest tests/integration/test_differential.py
    DJANGO_SETTINGS_MODULE=tests.settings_zoned pytest tests/integration/test_differential.py

Cursors are signed with a timestamp (``django.core.signing.dumps``): the tests fix it, so that
two answers a second apart still compare byte for byte.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import math
import uuid
import zoneinfo
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.db import connection, models
from django.test import override_settings
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from pydantic import BaseModel, field_validator
from starlette.types import ASGIApp, Receive, Scope, Send

from djgateway import Gateway, Resource
from djgateway.plan import ResourcePlan
from tests.oracle import models as oracle
from tests.oracle.models import (
    BINARY_LENGTH,
    CHAR_LENGTH,
    Bulletin,
    Child,
    Contact,
    Parent,
    PlainChild,
    PlainParent,
    TenantNote,
    current_tenant,
)

# Rows written in the test's thread are read by the endpoints' threads: no transaction around
# a test. Only the oracle's tables are flushed after each (flushing every table, as
# ``transactional_db`` does, takes longer than the tests on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True, available_apps=["tests.oracle"])
VENDOR = connection.vendor
# Bounded so that the module runs in under a minute on each database (the gateway opens a
# PostgreSQL connection per request, so PostgreSQL gets fewer examples).
SQLITE = VENDOR == "sqlite"
EXAMPLES = 4 if SQLITE else 2  # generated tables, per family, read through many list shapes
COLUMN_EXAMPLES = 3 if SQLITE else 2  # per column: its values, odd stored forms included
WALK_EXAMPLES = 3 if SQLITE else 2  # keyset walks ordered by a date-time column
USE_TZ = django_settings.USE_TZ


def examples(count: int) -> settings:
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=count,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a bounded run time
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # the tables are emptied per example
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# -- the two gateways --------------------------------------------------------------------


class ContactRead(BaseModel):
    """An explicit read schema: a masked email, a decimal column read as a float."""

    id: int
    email: str
    price: float

    @field_validator("email")
    @classmethod
    def mask_email(cls, value: str) -> str:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"


class TenantFromHeader:
    """ASGI middleware: the ``X-Tenant`` header, when sent, is the request's tenant."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tenant = dict(scope.get("headers") or []).get(b"x-tenant")
        if tenant is None:  # the tenant of the caller's context, if any
            await self.app(scope, receive, send)
            return
        token = current_tenant.set(tenant.decode())
        try:
            await self.app(scope, receive, send)
        finally:
            current_tenant.reset(token)


def oracle_gateway(*, fast_paths: bool) -> Gateway:
    return Gateway(
        apps=["oracle"],
        resources={"oracle.Contact": Resource(read=ContactRead)},
        tenant_field=None,
        fast_paths=fast_paths,
    )


def oracle_app(gateway: Gateway) -> FastAPI:
    app = gateway.app()
    app.add_middleware(TenantFromHeader)
    return app


def _diff(fast: Any, slow: Any, where: str = "") -> Iterator[str]:
    if isinstance(fast, dict) and isinstance(slow, dict) and list(fast) == list(slow):
        for key in fast:
            yield from _diff(fast[key], slow[key], f"{where}.{key}")
    elif isinstance(fast, list) and isinstance(slow, list) and len(fast) == len(slow):
        for index, (one, other) in enumerate(zip(fast, slow, strict=True)):
            yield from _diff(one, other, f"{where}[{index}]")
    elif type(fast) is not type(slow) or fast != slow:
        yield f"{where or '.'}: fast {fast!r} != slow {slow!r}"


def describe_difference(fast: httpx.Response, slow: httpx.Response) -> str:
    lines = [f"status: fast {fast.status_code}, slow {slow.status_code}"]
    if fast.status_code == slow.status_code:
        with contextlib.suppress(ValueError):
            lines += list(_diff(json.loads(fast.content), json.loads(slow.content)))[:8]
    if len(lines) == 1:  # not JSON, or the same JSON written differently
        lines += [f"fast body {fast.content[:300]!r}", f"slow body {slow.content[:300]!r}"]
    return "\n  ".join(lines)


@dataclass
class Oracle:
    """Sends each request to both gateways: they must answer the same bytes, and not 5xx."""

    fast: TestClient
    slow: TestClient

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        fast = self.fast.get(url, params=params, headers=headers)
        slow = self.slow.get(url, params=params, headers=headers)
        request = f"GET {url} {dict(params or {})}"
        same = (fast.status_code, fast.headers.get("etag"), fast.content) == (
            slow.status_code,
            slow.headers.get("etag"),
            slow.content,
        )
        assert same, f"{request}: the paths differ\n  {describe_difference(fast, slow)}"
        assert slow.status_code < 500, f"{request}: both paths failed: {slow.text[:400]}"
        return slow

    def page(self, url: str, **params: Any) -> dict[str, Any]:
        response = self.get(url, params)
        assert response.status_code == 200, f"GET {url} {params}: {response.text[:400]}"
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(scope="module")
def fast_gateway() -> Gateway:
    return oracle_gateway(fast_paths=True)


@pytest.fixture(scope="module")
def clients(fast_gateway: Gateway) -> Iterator[Oracle]:
    slow_app = oracle_app(oracle_gateway(fast_paths=False))
    with (
        TestClient(oracle_app(fast_gateway), raise_server_exceptions=False) as fast,
        TestClient(slow_app, raise_server_exceptions=False) as slow,
    ):
        yield Oracle(fast, slow)


@pytest.fixture
def fixed_cursor_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1oracle")


@pytest.fixture
def oracle_db(clients: Oracle, fixed_cursor_time: None) -> Oracle:
    return clients


# -- stored values -----------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A value written to the column as it is, without Django's preparation."""

    value: Any


def stored(column: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(value, Raw):
        return value.value
    if value is None:
        return None
    return column.get_db_prep_save(value, connection)


def empty_tables() -> None:
    with connection.cursor() as cursor:
        for model in (Child, Parent, PlainChild, PlainParent, Contact, TenantNote, Bulletin):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows written with raw SQL: ``Raw`` values as they are, others as Django writes them."""
    if not rows:
        return
    quote_name = connection.ops.quote_name
    names = list(rows[0])
    columns: list[Any] = [model._meta.get_field(name) for name in names]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote_name(model._meta.db_table),
        ", ".join(quote_name(column.column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    params = [[stored(c, row[n]) for c, n in zip(columns, names, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# Text a client could store: any Unicode but NUL (PostgreSQL) and surrogates.
TEXT = st.characters(codec="utf-8", exclude_characters="\x00")
WORD = st.from_regex(r"\A[a-z0-9]{1,10}\Z")
TOP_LEVEL = st.from_regex(r"\A[a-z]{2,6}\Z")
INT64_SCHEMA = 9_223_372_036_000_000_000  # the read schema's bound (schemas/fields.py INT64)
ZONES = [dt.UTC, dt.timezone(dt.timedelta(hours=2)), zoneinfo.ZoneInfo("Europe/Berlin")]
EARLIEST, LATEST = dt.datetime(1901, 1, 1), dt.datetime(9998, 12, 31)


def _datetimes() -> st.SearchStrategy[dt.datetime]:
    if not USE_TZ:
        return st.datetimes(EARLIEST, LATEST)
    return st.datetimes(EARLIEST, LATEST, timezones=st.sampled_from(ZONES))


def _json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(TEXT, max_size=6)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(TEXT, max_size=4), inner)
        ),
        max_leaves=6,
    )


PLAIN: dict[str, st.SearchStrategy[Any]] = {
    "char": st.text(TEXT, max_size=CHAR_LENGTH)
    | st.text(TEXT, min_size=CHAR_LENGTH, max_size=CHAR_LENGTH),
    "text": st.text(TEXT, max_size=200),
    "slug": st.from_regex(r"\A[-a-zA-Z0-9_]{1,20}\Z"),
    "email": st.builds(
        "{}@{}.{}".format, st.from_regex(r"\A[A-Za-z0-9_+-]{1,10}\Z"), WORD, TOP_LEVEL
    ),
    "url": st.builds(
        "https://{}.{}/{}".format, WORD, TOP_LEVEL, st.from_regex(r"\A[A-Za-z0-9._~-]{0,20}\Z")
    ),
    "int32": st.integers(-(2**31), 2**31 - 1),
    "int16": st.integers(-(2**15), 2**15 - 1),
    "int64": st.integers(-INT64_SCHEMA, INT64_SCHEMA),
    "uint32": st.integers(0, 2**31 - 1),
    "uint16": st.integers(0, 2**15 - 1),
    "uint64": st.integers(0, INT64_SCHEMA),
    "real": st.floats(allow_nan=False, allow_infinity=False),
    "flag": st.booleans(),
    "day": st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    "moment": _datetimes(),
    "guid": st.uuids(),
    "address": st.ip_addresses().map(str),
}
WRITTEN: dict[str, st.SearchStrategy[Any]] = {  # the types the read schema writes itself
    "amount": st.decimals("-999999.999", "999999.999", places=3, allow_nan=False),
    "clock": st.times(),
    "span": st.timedeltas(-dt.timedelta(days=10**6), dt.timedelta(days=10**6)),
    "document": _json_values().filter(lambda value: value is not None),
    "blob": st.text(st.characters(codec="ascii"), max_size=BINARY_LENGTH).map(str.encode),
}
NORMAL = {**PLAIN, **WRITTEN}


def _offset_text(moment: dt.datetime) -> str:
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=2)))
    return f"{local:%Y-%m-%d %H:%M:%S}+02:00"


DATETIME_TEXTS: list[Callable[[dt.datetime], str]] = [
    lambda m: f"{m:%Y-%m-%d %H:%M:%S}.000000",
    _offset_text,
    lambda m: f"{m:%Y-%m-%dT%H:%M:%S.%f}",
    lambda m: f"{m:%Y-%m-%d %H:%M:%S}.5",
    lambda m: f"{m:%Y-%m-%d %H:%M:%S}Z",
]


def _odd_moments() -> st.SearchStrategy[Raw]:
    """Date-time text Django reads but does not write (an instant in UTC)."""
    moments = st.datetimes(EARLIEST, LATEST, timezones=st.just(dt.UTC))
    return st.builds(lambda m, form: Raw(form(m)), moments, st.sampled_from(DATETIME_TEXTS))


def odd(base: str, *, nullable: bool) -> st.SearchStrategy[Any] | None:
    """Stored forms of a column that Django would not write, on this database."""
    sqlite = SQLITE
    floats = [math.inf, -math.inf]
    if nullable or not sqlite:  # SQLite stores NaN as NULL
        floats.append(math.nan)
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "int64": st.sampled_from([Raw(2**63 - 1), Raw(-(2**63))]),
        "uint64": st.just(Raw(2**63 - 1)),
        "real": st.sampled_from([Raw(value) for value in floats]),
        "day": st.dates(dt.date(1000, 1, 1)).map(lambda d: Raw(f"{d.year}-{d.month}-{d.day}")),
        "moment": _odd_moments(),
        "clock": st.times().map(
            lambda t: Raw(f"{t:%H:%M:%S}.000000") if t.second % 2 else Raw(f"{t:%H:%M}")
        ),
        "guid": st.builds(
            lambda u, form: Raw(form(u)),
            st.uuids(),
            st.sampled_from([lambda u: u.hex.upper(), str, lambda u: str(u).upper()]),
        ),
        "document": st.sampled_from([Raw('{ "a" : 1.0 , "b":[ 1e2 , "\\u00e9" ] }'), Raw("null")]),
        "blob": st.binary(max_size=BINARY_LENGTH).map(Raw),
        "address": st.sampled_from([Raw("2001:DB8::1"), Raw("::FFFF:1.2.3.4")]),
    }
    if sqlite:  # SQLite does not enforce a varchar's length
        strategies["char"] = st.text(TEXT, min_size=CHAR_LENGTH + 1, max_size=CHAR_LENGTH + 3).map(
            Raw
        )
    return strategies.get(base)


def values_of(base: str, *, nullable: bool, odd_forms: bool) -> st.SearchStrategy[Any]:
    values = NORMAL[base]
    unusual = odd(base, nullable=nullable) if odd_forms else None
    if unusual is not None:
        values = values | unusual
    return st.none() | values if nullable else values


BENIGN: dict[str, Any] = {
    **dict.fromkeys(("char", "text", "slug"), "x"),
    "email": "e@example.com",
    "url": "https://example.com/",
    **dict.fromkeys(("int32", "int16", "int64", "uint32", "uint16", "uint64"), 1),
    "real": 1.5,
    "flag": True,
    "day": dt.date(2026, 3, 1),
    "moment": dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC if USE_TZ else None),
    "guid": uuid.UUID(int=1),
    "address": "127.0.0.1",
    **{f"{base}_opt": None for base in PLAIN},
}
BENIGN_ALL: dict[str, Any] = {
    **BENIGN,
    "amount": decimal.Decimal("1.500"),
    "clock": dt.time(12),
    "span": dt.timedelta(hours=1),
    "document": {"a": 1},
    "blob": b"b",
    **{f"{base}_opt": None for base in WRITTEN},
}


# -- the two families of tables ----------------------------------------------------------


@dataclass(frozen=True)
class Tables:
    parent: type[models.Model]
    child: type[models.Model]
    key: str  # the parents' resource key, also their path segment
    columns: tuple[str, ...]  # the column bases (``char`` for ``char`` and ``char_opt``)

    @property
    def url(self) -> str:
        return f"/{self.key}"

    @property
    def names(self) -> list[str]:
        return [name for base in self.columns for name in (base, f"{base}_opt")]

    def resources(self, gateway: Gateway) -> tuple[ResourcePlan, ResourcePlan]:
        return gateway.plan.get(self.key), gateway.plan.get(f"{self.key}.children")

    def rows(self, odd_forms: Sequence[str] = ()) -> st.SearchStrategy[dict[str, Any]]:
        """Every column; those of ``odd_forms`` include odd stored forms."""
        return st.fixed_dictionaries(
            {
                name: values_of(base, nullable=nullable, odd_forms=base in odd_forms)
                for base in self.columns
                for name, nullable in ((base, False), (f"{base}_opt", True))
            }
        )


ALL_TYPES = Tables(Parent, Child, "parents", tuple(NORMAL))
PLAIN_TYPES = Tables(PlainParent, PlainChild, "plain-parents", tuple(PLAIN))
FAMILIES = {"parents": ALL_TYPES, "plain-parents": PLAIN_TYPES}


def parent_keys(odd_forms: bool) -> st.SearchStrategy[Any]:
    keys = st.uuids()
    if odd_forms and SQLITE:  # Django writes the hex in lower case
        keys = keys | st.uuids().map(lambda u: Raw(u.hex.upper()))
    return keys


CHILD_CODES = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00/\\?#%.", exclude_categories=["Cc"]),
    min_size=1,
    max_size=40,
)


@dataclass
class Family:
    parent: dict[str, Any]
    children: list[dict[str, Any]] = field(default_factory=list)


def _odd_first(draw: st.DrawFn, row: dict[str, Any], odd_forms: Sequence[str]) -> dict[str, Any]:
    """``row`` with an odd stored form in each column of ``odd_forms`` that has one."""
    for base in odd_forms:
        for name, nullable in ((base, False), (f"{base}_opt", True)):
            unusual = odd(base, nullable=nullable)
            if unusual is not None and name in row:
                row[name] = draw(unusual)
    return row


@st.composite
def families(
    draw: st.DrawFn, tables: Tables, odd_forms: Sequence[str] = (), most: int = 3
) -> list[Family]:
    """1 to ``most`` parents, the first with 0 to 3 children, the others with 0 or 1. The
    first parent and its first child hold odd stored forms of the ``odd_forms`` columns."""
    rows = tables.rows(odd_forms)
    keys = draw(st.lists(parent_keys("id" in odd_forms), min_size=1, max_size=most, unique_by=str))
    if "id" in odd_forms and SQLITE:
        keys[0] = Raw(uuid.UUID(str(getattr(keys[0], "value", keys[0]))).hex.upper())
    count = 3 + len(keys) - 1
    codes = iter(draw(st.lists(CHILD_CODES, min_size=count, max_size=count, unique=True)))
    drawn = []
    for index, key in enumerate(keys):
        family = Family({"id": key, **draw(rows)})
        for _ in range(draw(st.integers(0, 1 if index else 3))):
            family.children.append({"code": next(codes), "parent": key, **draw(rows)})
        drawn.append(family)
    _odd_first(draw, drawn[0].parent, odd_forms)
    if drawn[0].children:
        _odd_first(draw, drawn[0].children[0], odd_forms)
    return drawn


def stored_values(drawn: Sequence[Family], names: Sequence[str]) -> str:
    """The drawn values of some columns, parent by parent (for a failure's report)."""
    lines = []
    for family in drawn:
        for row in (family.parent, *family.children):
            lines.append(", ".join(f"{name}={row.get(name)!r}" for name in names if name in row))
    return "\n".join(lines)


def store(tables: Tables, drawn: Sequence[Family]) -> None:
    empty_tables()
    insert(tables.parent, [family.parent for family in drawn])
    insert(tables.child, [child for family in drawn for child in family.children])


# -- the reads compared ------------------------------------------------------------------


def query_text(value: Any) -> str:
    """A JSON value as a client sends it back in a query string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _date_part(operator: str, value: Any) -> str | None:
    """``year``, ``month``, ``day`` or ``date`` of a JSON date or date-time."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    if operator == "date":
        return value[:10]
    year, month, day = value[:10].split("-")
    return {"year": year, "month": month, "day": day}[operator].lstrip("0") or "0"


def filters_for(
    resource: ResourcePlan, items: Sequence[dict[str, Any]], keys: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """A filter for each own filterable field (or those of ``keys``), with listed values."""
    found: list[dict[str, str]] = []
    for name, spec in resource.query.filters.items():
        key = spec.lookup.split("__")[0]
        through = "__" in spec.lookup.removesuffix(f"__{spec.operator}")
        values = [item[key] for item in items[:2] if item.get(key) is not None]
        if through or (keys is not None and key not in keys):
            continue  # the own fields' filters are enough (a related row's are its own)
        if spec.operator == "isnull":
            found.append({name: "true"})
        elif not values:
            continue
        elif spec.operator == "in":
            found.append({name: ",".join(query_text(value) for value in values)})
        elif spec.operator in ("year", "month", "day", "date"):
            part = _date_part(spec.operator, values[0])
            if part is not None:
                found.append({name: part})
        else:
            found.append({name: query_text(values[0])})
    return found


def walk(
    oracle: Oracle, url: str, rows: int, limit: int, *, must_end: bool = True, **params: Any
) -> list[Any]:
    """Every row of a list, page after page by its cursors (at most one page per row).

    ``must_end=False``: the rows hold stored text in forms Django does not write (``2026-3-1``,
    upper-case UUIDs); SQL compares that text as text, so a keyset over it may never end on
    either path. The pages must still be the same on both."""
    items: list[Any] = []
    request: dict[str, Any] = {**params, "limit": limit}
    for _ in range(rows + 2):
        page = oracle.page(url, **request)
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        request["cursor"] = page["next_cursor"]
    if must_end:
        raise AssertionError(f"GET {url} {params}: still paging after {rows + 2} pages")
    return items


def compare_rows(oracle: Oracle, url: str, key: str, items: Sequence[dict[str, Any]]) -> None:
    for item in items:
        oracle.get(f"{url}/{quote(str(item[key]), safe='')}")


def compare_filters(oracle: Oracle, url: str, filters: Sequence[Mapping[str, str]]) -> None:
    for params in filters:  # a compiled statement: compiled once, run with these values
        oracle.get(url, params)


# -- the differential tests --------------------------------------------------------------


def _explore(
    oracle: Oracle, resource: ResourcePlan, url: str, rows: int, data: st.DataObject
) -> list[Any]:
    """The list shapes of one collection, the orderings and filters drawn; its items."""
    items: list[Any] = oracle.page(url)["items"]  # compiled once, run again per example
    oracle.page(url, limit=1)
    oracle.page(url, limit=2, offset=1, count="exact")
    selectable = list(resource.query.selectable)
    fields = data.draw(st.lists(st.sampled_from(selectable), min_size=1, unique=True), "fields")
    oracle.page(url, fields=",".join(fields))
    orderings = data.draw(
        st.lists(st.sampled_from(list(resource.query.ordering_keys)), max_size=3, unique=True),
        "orderings",
    )
    for key in orderings:
        for token in (key, f"-{key}"):
            oracle.page(url, order_by=token)
    walk(oracle, url, rows, 2)
    if orderings:
        walk(oracle, url, rows, 1, order_by=f"-{orderings[0]}", fields=",".join(fields))
    filters = filters_for(resource, items)
    if filters:
        chosen = data.draw(st.lists(st.sampled_from(filters), max_size=4), "filters")
        compare_filters(oracle, url, chosen)
    return items


@pytest.mark.parametrize("key", FAMILIES)
def test_list_shapes_and_rows_read_the_same_on_both_paths(
    oracle_db: Oracle, fast_gateway: Gateway, key: str
) -> None:
    tables = FAMILIES[key]
    parents, children = tables.resources(fast_gateway)

    @examples(EXAMPLES)
    @given(drawn=families(tables), data=st.data())
    def check(drawn: list[Family], data: st.DataObject) -> None:
        note(stored_values(drawn, ["id", "code", *tables.names]))
        store(tables, drawn)
        items = _explore(oracle_db, parents, tables.url, len(drawn), data)
        compare_rows(oracle_db, tables.url, "id", items)
        for index, family in enumerate(drawn):  # the first has the most children
            url = f"{tables.url}/{family.parent['id']}/children"
            if index == 0:
                kids = _explore(oracle_db, children, url, len(family.children), data)
            else:
                kids = oracle_db.page(url)["items"]
            compare_rows(oracle_db, url, "code", kids)

    check()


def _column_orderings(resource: ResourcePlan, base: str) -> list[str]:
    keys = resource.query.ordering_keys
    return [name for name in (base, f"{base}_opt") if name in keys]


def _compare_column(
    oracle: Oracle,
    resource: ResourcePlan,
    url: str,
    base: str,
    *,
    rows: int,
    key: str,
    data: st.DataObject,
    ordered: bool = True,
) -> None:
    """The reads of one column: listed, picked, and when ``ordered``, ordered by, walked by
    and filtered on."""
    names = [name for name in (base, f"{base}_opt") if name in resource.query.selectable]
    picked_fields = ",".join(dict.fromkeys([key, *names]))
    listed = oracle.get(url)  # every column: the read schema's page, maybe compiled
    if listed.status_code == 404:
        return  # a parent key stored in a form its canonical text does not match
    picked = oracle.page(url, fields=picked_fields)["items"]
    compare_rows(oracle, url, key, picked)
    if not ordered:
        return
    orders = _column_orderings(resource, base)
    if orders:  # the column ascending (a page per row), its nullable twin descending
        for ordering, limit in ((orders[0], 1), (f"-{orders[-1]}", 2)):
            oracle.get(url, {"order_by": ordering})  # the default fields: maybe compiled
            walk(oracle, url, rows, limit, must_end=False, order_by=ordering, fields=picked_fields)
    filters = filters_for(resource, picked, names)
    if filters:
        chosen = data.draw(st.lists(st.sampled_from(filters), max_size=2, unique_by=str), "filters")
        compare_filters(oracle, url, chosen)


COLUMN_CASES = [("id", PLAIN_TYPES), *((base, PLAIN_TYPES) for base in PLAIN)]
COLUMN_CASES += [(base, ALL_TYPES) for base in WRITTEN]


@pytest.mark.parametrize(("base", "tables"), COLUMN_CASES, ids=[base for base, _ in COLUMN_CASES])
def test_each_column_reads_the_same_on_both_paths_whatever_its_stored_form(
    oracle_db: Oracle, fast_gateway: Gateway, base: str, tables: Tables
) -> None:
    parents, children = tables.resources(fast_gateway)

    @examples(COLUMN_EXAMPLES)
    @given(drawn=families(tables, odd_forms=[base], most=2), data=st.data())
    def check(drawn: list[Family], data: st.DataObject) -> None:
        note(stored_values(drawn, ["id", "code", base, f"{base}_opt"]))
        store(tables, drawn)
        _compare_column(oracle_db, parents, tables.url, base, rows=len(drawn), key="id", data=data)
        first = drawn[0]  # the parent with the most children
        if not first.children:
            return
        key = first.parent["id"]
        url = f"{tables.url}/{uuid.UUID(str(getattr(key, 'value', key)))}/children"
        # the children's column orders and filters as the parents' does: listed and read only
        _compare_column(
            oracle_db,
            children,
            url,
            base,
            rows=len(first.children),
            key="code",
            data=data,
            ordered=False,
        )

    check()


# -- keyset walks by a date-time ---------------------------------------------------------


TIED_MOMENTS = st.sampled_from(
    [
        dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 11, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),  # Berlin's clocks go forward
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),  # ... and back: 02:30 twice
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),
    ]
)


def _walk_moments(odd_text: bool) -> st.SearchStrategy[Any]:
    """Few distinct instants (ties), as Django writes them, or as odd stored text."""
    forms: list[Callable[[dt.datetime], Any]] = [lambda m: m if USE_TZ else m.replace(tzinfo=None)]
    if odd_text:
        forms = [lambda m, text=text: Raw(text(m)) for text in DATETIME_TEXTS]
    return st.builds(lambda m, form: form(m), TIED_MOMENTS, st.sampled_from(forms))


WalkPages = tuple[list[httpx.Response], bool]  # the pages, and whether the walk ended


def _walk_pages(client: TestClient, url: str, params: dict[str, Any], most: int) -> WalkPages:
    pages: list[httpx.Response] = []
    request = dict(params)
    for _ in range(most):
        response = client.get(url, params=request)
        assert response.status_code == 200, response.text
        pages.append(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages, True
        request["cursor"] = cursor
    return pages, False


DATETIME_ORDERS = (
    ("moment", "id,moment,moment_opt"),
    ("-moment", None),
    ("moment_opt", None),
    ("-moment_opt", "id,moment,moment_opt"),
)


def check_keyset_walks(
    oracle: Oracle,
    tables: Tables,
    rows: list[dict[str, Any]],
    orders: Sequence[tuple[str, str | None]] = DATETIME_ORDERS,
    limit: int = 2,
    *,
    canonical: bool = True,
) -> None:
    """Each gateway visits each row once, by each ``(order_by, fields)``; the pages agree.

    ``canonical=False``: some rows hold stored text in a form Django does not write; SQL
    orders and compares it as text, so a keyset may repeat or skip rows on both paths alike
    (Django's own semantics): then only the pages must agree."""
    empty_tables()
    insert(tables.parent, rows)
    expected = sorted(str(row["id"]) for row in rows)
    for order, fields in orders:
        params = {"order_by": order, "fields": fields} if fields else {"order_by": order}
        walks = {
            name: _walk_pages(client, tables.url, {**params, "limit": limit}, len(rows) + 2)
            for name, client in (("fast", oracle.fast), ("slow", oracle.slow))
        }
        wrong = []
        for name, (pages, ended) in walks.items():
            seen = [item["id"][-2:] for page in pages for item in page.json()["items"]]
            if not ended or sorted(seen) != [key[-2:] for key in expected]:
                end = "" if ended else f", still paging after {len(pages)} pages"
                wrong.append(f"{name} gateway: rows {seen}{end}")
        assert not canonical or not wrong, f"{params}: each of {len(rows)} rows once? " + "; ".join(
            wrong
        )
        for number, (fast, slow) in enumerate(zip(walks["fast"][0], walks["slow"][0], strict=True)):
            same = (fast.headers.get("etag"), fast.content) == (slow.headers["etag"], slow.content)
            assert same, f"{params}, page {number + 1}\n  {describe_difference(fast, slow)}"


WALKS = [(key, odd_text) for key in FAMILIES for odd_text in (False, True)]


@pytest.mark.parametrize(
    ("key", "odd_text"),
    WALKS,
    ids=[f"{key}-{'odd-text' if odd_text else 'as-django-writes'}" for key, odd_text in WALKS],
)
def test_a_keyset_walk_by_a_datetime_visits_each_row_once(
    oracle_db: Oracle, key: str, odd_text: bool
) -> None:
    tables = FAMILIES[key]
    moments = _walk_moments(odd_text)

    @examples(WALK_EXAMPLES)
    @given(
        drawn=st.lists(st.tuples(moments, st.none() | moments), min_size=2, max_size=7),
        base=tables.rows(),
    )
    def check(drawn: list[tuple[Any, Any]], base: dict[str, Any]) -> None:
        note(f"(moment, moment_opt) by row: {drawn}")
        rows = [
            {**base, "id": uuid.UUID(int=index + 1), "moment": moment, "moment_opt": maybe}
            for index, (moment, maybe) in enumerate(drawn)
        ]
        check_keyset_walks(oracle_db, tables, rows, canonical=not odd_text)

    check()


NEAR_NOON = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC if USE_TZ else None)
ODD_WALKS: dict[str, list[Any]] = {  # odd stored forms, ties, neighbours
    "day": [Raw("2026-3-1"), dt.date(2026, 3, 1), dt.date(2026, 3, 2)],
    "moment": [
        Raw("2026-03-01 12:00:00.000000"),
        NEAR_NOON,
        NEAR_NOON + dt.timedelta(seconds=1),
    ],
    "clock": [Raw("12:00:00.000000"), dt.time(12), dt.time(12, 0, 1), Raw("12:00"), dt.time(11)],
    "guid": [Raw(uuid.UUID(int=10).hex.upper()), Raw(str(uuid.UUID(int=10))), uuid.UUID(int=11)],
    "address": [Raw("2001:DB8::1"), "10.0.0.1", "2001:db8::2"],
    "real": [Raw(math.inf), 1.0, Raw(-math.inf)],
}


@pytest.mark.parametrize("base", ODD_WALKS)
def test_a_keyset_walk_by_a_column_pages_alike_whatever_its_stored_form(
    oracle_db: Oracle, base: str
) -> None:
    tables, row = (ALL_TYPES, BENIGN_ALL) if base in WRITTEN else (PLAIN_TYPES, BENIGN)
    rows = [
        {**row, "id": uuid.UUID(int=index + 1), base: value, f"{base}_opt": value}
        for index, value in enumerate(ODD_WALKS[base])
    ]
    fields = f"id,{base},{base}_opt"
    orders = [(base, fields), (f"-{base}", None), (f"{base}_opt", None), (f"-{base}_opt", fields)]
    check_keyset_walks(oracle_db, tables, rows, orders, limit=1, canonical=False)


# -- explicit read schemas ---------------------------------------------------------------


CONTACTS = [
    {"id": 1, "email": "alice@example.com", "price": decimal.Decimal("12.30")},
    {"id": 2, "email": "bob@example.org", "price": decimal.Decimal("0.10")},
    {"id": 3, "email": "c@example.net", "price": decimal.Decimal("-999999.99")},
]


def pydantic_json(row: Mapping[str, Any]) -> bytes:
    return ContactRead.model_validate(row).model_dump_json().encode()


def test_an_explicit_read_schema_reads_each_row_as_pydantic_writes_it(oracle_db: Oracle) -> None:
    empty_tables()
    insert(Contact, CONTACTS)
    assert json.loads(pydantic_json(CONTACTS[0])) == {
        "id": 1,
        "email": "a***@example.com",
        "price": 12.3,
    }
    for row in CONTACTS:
        for _ in range(2):
            assert oracle_db.get(f"/contacts/{row['id']}").content == pydantic_json(row)


def test_an_explicit_read_schema_lists_the_rows_as_pydantic_writes_them(oracle_db: Oracle) -> None:
    empty_tables()
    insert(Contact, CONTACTS)
    for params in ({}, {}, {"order_by": "-price"}, {"fields": "id,email"}, {"limit": 1}):
        oracle_db.page("/contacts", **params)
    items = oracle_db.page("/contacts")["items"]
    assert items == [json.loads(pydantic_json(row)) for row in CONTACTS]


# -- what may vary per request: database routers, tenants, the clock -----------------------


class RecordingRouter:
    """Sends everything to the default database, and remembers being asked."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        self.reads.append(model._meta.label)
        return "default"

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return "default"


def test_a_database_router_is_asked_on_every_read_of_the_fast_gateway(
    fixed_cursor_time: None,
) -> None:
    router = RecordingRouter()
    parent = uuid.UUID(int=7)
    with override_settings(DATABASE_ROUTERS=[router]):
        fast, slow = oracle_gateway(fast_paths=True), oracle_gateway(fast_paths=False)
        for key in ("plain-parents", "plain-parents.children"):
            assert fast.plan.get(key).read_path.compiled is False, key
        store(
            PLAIN_TYPES,
            [Family({"id": parent, **BENIGN}, [{"code": "c", "parent": parent, **BENIGN}])],
        )
        urls = [
            "/plain-parents",
            f"/plain-parents/{parent}",
            f"/plain-parents/{parent}/children",
            f"/plain-parents/{parent}/children/c",
        ]
        with (
            TestClient(oracle_app(fast), raise_server_exceptions=False) as fast_client,
            TestClient(oracle_app(slow), raise_server_exceptions=False) as slow_client,
        ):
            routed = Oracle(fast_client, slow_client)
            for url in urls * 2:
                before = len(router.reads)
                assert fast_client.get(url).status_code == 200, url
                asked = router.reads[before:]
                assert "oracle.PlainParent" in asked or "oracle.PlainChild" in asked, url
                routed.get(url)


def test_the_tenant_manager_answers_each_tenant_its_own_rows(oracle_db: Oracle) -> None:
    empty_tables()
    insert(
        TenantNote,
        [
            {"id": 1, "tenant": "a", "title": "A's first"},
            {"id": 2, "tenant": "b", "title": "B's first"},
            {"id": 3, "tenant": "a", "title": "A's second"},
            {"id": 4, "tenant": "b", "title": "B's second"},
        ],
    )
    for tenant, own, other in (("a", [1, 3], 2), ("b", [2, 4], 1), ("a", [1, 3], 4)):
        headers = {"X-Tenant": tenant}
        for _ in range(2):
            listed = oracle_db.get("/tenant-notes", headers=headers).json()["items"]
            assert [item["id"] for item in listed] == own, tenant
            assert {item["tenant"] for item in listed} == {tenant}
            for pk in own:
                assert oracle_db.get(f"/tenant-notes/{pk}", headers=headers).status_code == 200
            assert oracle_db.get(f"/tenant-notes/{other}", headers=headers).status_code == 404


def test_a_context_variable_set_before_the_request_reaches_the_endpoint(
    oracle_db: Oracle,
) -> None:
    """The tenant pattern without a middleware: TestClient runs the request in a copy of
    the test's context (its portal, then the endpoint's worker thread)."""
    empty_tables()
    insert(TenantNote, [{"id": 1, "tenant": "a", "title": "A's"}])
    token = current_tenant.set("a")
    try:
        listed = oracle_db.get("/tenant-notes").json()["items"]
    finally:
        current_tenant.reset(token)
    assert [item["id"] for item in listed] == [1]
    assert oracle_db.get("/tenant-notes").json()["items"] == []


def test_a_row_becomes_visible_when_its_publication_time_passes(
    oracle_db: Oracle, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = oracle.timezone.now()
    empty_tables()
    insert(
        Bulletin,
        [
            {"id": 1, "title": "out", "published_at": now - dt.timedelta(hours=1)},
            {"id": 2, "title": "soon", "published_at": now + dt.timedelta(hours=1)},
        ],
    )
    for _ in range(2):
        assert [item["id"] for item in oracle_db.page("/bulletins")["items"]] == [1]
        assert oracle_db.get("/bulletins/2").status_code == 404
    monkeypatch.setattr(oracle.timezone, "now", lambda: now + dt.timedelta(hours=2))
    for _ in range(2):
        assert [item["id"] for item in oracle_db.page("/bulletins")["items"]] == [1, 2]
        assert oracle_db.get("/bulletins/2").status_code == 200
