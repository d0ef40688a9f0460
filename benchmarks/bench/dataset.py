"""The benchmark's database: created fresh, filled deterministically, dropped at the end.

Every contender reads the same rows of the sandbox's ``business`` app. Two companies are
special: the *hub* (10 departments, its first department 10 teams: the depth and nested
endpoints) and the *writer* (the parent of POSTed departments and of the PATCHed team).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from djgateway.sandbox.business.models import Company, Employee

Execute = Callable[[str], object]

ADJECTIVES = [
    "Acme",
    "Blue",
    "Bright",
    "Central",
    "Coastal",
    "Delta",
    "Eastern",
    "Falcon",
    "Global",
    "Golden",
    "Granite",
    "Harbor",
    "Iron",
    "Lunar",
    "Metro",
    "Northern",
    "Nova",
    "Pacific",
    "Prime",
    "Rapid",
    "Silver",
    "Summit",
    "United",
    "Western",
]
NOUNS = [
    "Analytics",
    "Bakery",
    "Biotech",
    "Capital",
    "Consulting",
    "Dynamics",
    "Energy",
    "Foods",
    "Freight",
    "Health",
    "Industries",
    "Labs",
    "Logistics",
    "Media",
    "Motors",
    "Networks",
    "Optics",
    "Partners",
    "Robotics",
    "Software",
    "Systems",
    "Textiles",
    "Travel",
    "Ventures",
]
DEPARTMENTS = ("Engineering", "Sales", "Finance", "Support", "Research", "Operations")
TEAMS = ("Platform", "Mobile", "Core", "Field", "Growth", "Quality")
FILTER_PREFIX = "nor"  # matches "Northern ...": about 1/24 of the companies
HUB_SIZE = 10
# Benchmark only: the list endpoints order by name, as an indexed production table would.
NAME_INDEX = "CREATE INDEX bench_company_name ON business_company (name)"
WRITE_PREFIX = "bench-"


@dataclass(frozen=True)
class Size:
    companies: int
    departments_per_company: int = 4
    teams_per_department: int = 3
    costcenters_per_company: int = 2
    employees_per_company: int = 5


FULL = Size(companies=5000)
QUICK = Size(companies=200)


@dataclass(frozen=True)
class Fixture:
    """Ids and counts the endpoints are built from."""

    hub_company: int
    hub_department: int
    write_company: int
    write_department: int
    write_team: int
    filter_prefix: str
    rows: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# -- the database itself ---------------------------------------------------------------


def create_database(url: str) -> None:
    """Start from nothing: delete the SQLite file or drop and create the PostgreSQL db."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        _remove_sqlite(Path(parts.path[1:]))
        return
    name = parts.path.lstrip("/")
    with _maintenance(url) as execute:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        _remove_sqlite(Path(parts.path[1:]))
        return
    with _maintenance(url) as execute:
        execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def _maintenance(url: str) -> Iterator[Execute]:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        yield lambda sql: connection.execute(sql.encode())


# -- rows --------------------------------------------------------------------------------


def load(size: Size) -> Fixture:
    """Migrate and fill the database (Django must be set up); same rows every time."""
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        fixture = _fill(size)
    with connection.cursor() as cursor:
        cursor.execute(NAME_INDEX)
        cursor.execute("ANALYZE")
    return fixture


def _fill(size: Size) -> Fixture:
    from djgateway.sandbox.business import models as m

    rng = random.Random(20240608)
    tenants = [uuid.uuid5(uuid.NAMESPACE_DNS, f"tenant-{i}.example") for i in range(50)]
    with _fixed_timestamps(m.Company):
        companies = m.Company.objects.bulk_create(
            _company(i, rng, tenants) for i in range(size.companies)
        )
    departments = m.CompanyDepartment.objects.bulk_create(
        m.CompanyDepartment(company=company, name=DEPARTMENTS[d] if d < 6 else f"Unit {d}")
        for index, company in enumerate(companies)
        for d in range(HUB_SIZE if index == 0 else size.departments_per_company)
    )
    hub_department = departments[0]
    teams = m.CompanyDepartmentTeam.objects.bulk_create(
        m.CompanyDepartmentTeam(
            department=department,
            name=f"{TEAMS[t % len(TEAMS)]} {t + 1}",
            headcount=rng.randrange(1, 40),
        )
        for department in departments
        for t in range(HUB_SIZE if department is hub_department else size.teams_per_department)
    )
    costcenters = m.CompanyCostcenter.objects.bulk_create(
        m.CompanyCostcenter(company=company, code=f"CC-{c + 1:03d}", name=f"Cost center {c + 1}")
        for company in companies
        for c in range(size.costcenters_per_company)
    )
    employees = m.Employee.objects.bulk_create(
        _employee(company, e, rng)
        for company in companies
        for e in range(size.employees_per_company)
    )
    writer = companies[1]
    write_department = next(d for d in departments if d.company_id == writer.pk)
    write_team = next(t for t in teams if t.department_id == write_department.pk)
    return Fixture(
        hub_company=companies[0].pk,
        hub_department=hub_department.pk,
        write_company=writer.pk,
        write_department=write_department.pk,
        write_team=write_team.pk,
        filter_prefix=FILTER_PREFIX,
        rows={
            "companies": len(companies),
            "departments": len(departments),
            "teams": len(teams),
            "costcenters": len(costcenters),
            "employees": len(employees),
        },
    )


def _company(index: int, rng: random.Random, tenants: list[uuid.UUID]) -> Company:
    from djgateway.sandbox.business.models import Company

    created = dt.datetime(2019, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
        minutes=37 * index, microseconds=rng.randrange(1, 999_999)
    )
    founded = (
        None if rng.random() < 0.1 else dt.date(1950, 1, 1) + dt.timedelta(rng.randrange(0, 26_000))
    )
    return Company(
        tenant_id=rng.choice(tenants),
        name=f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {index:05d}",
        founded=founded,
        internal_notes=f"Internal notes of company {index}. " * 4,
        created_at=created,
        updated_at=created + dt.timedelta(days=rng.randrange(0, 900)),
    )


def _employee(company: Company, index: int, rng: random.Random) -> Employee:
    from djgateway.sandbox.business.models import Employee, EmployeeType

    kind = (
        EmployeeType.OWNER if index == 0 else rng.choice([EmployeeType.ADMIN, EmployeeType.MEMBER])
    )
    return Employee(
        company=company,
        user_id=f"user-{company.pk}-{index}",
        type=kind,
        email=f"person{index}@company{company.pk}.example",
        api_token=f"{rng.getrandbits(128):032x}",
    )


@contextmanager
def _fixed_timestamps(model: Any) -> Iterator[None]:
    """Let ``bulk_create`` keep the given ``auto_now``/``auto_now_add`` values."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def reset_writes(fixture: Fixture) -> int:
    """Delete the departments POSTed by a run, so the data set does not grow."""
    from djgateway.sandbox.business.models import CompanyDepartment

    created = CompanyDepartment.objects.filter(
        company_id=fixture.write_company, name__startswith=WRITE_PREFIX
    )
    deleted, _ = created.delete()
    return deleted
