"""Deterministic demo data for the sandbox.

Call :func:`load_demo_data` after ``migrate``; it is idempotent (it does nothing once any
company exists). All values are fixed so docs and tests can rely on them; only the
``auto_now``/``auto_now_add`` timestamps and auto-increment primary keys vary.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction

from .business.models import (
    AuditEntry,
    Company,
    CompanyCostcenter,
    CompanyDepartment,
    CompanyDepartmentTeam,
    Employee,
    EmployeeType,
)
from .catalog.models import (
    Category,
    Product,
    ProductDetail,
    Review,
    StockItem,
    Tag,
    Warehouse,
)

__all__ = [
    "TAG_ECO_ID",
    "TAG_NEW_ID",
    "TAG_SALE_ID",
    "TENANT_A",
    "TENANT_B",
    "load_demo_data",
]

#: Tenant shared by "Acme Corp" and "Acme Labs".
TENANT_A = uuid.UUID("aaaaaaaa-0000-4000-8000-000000000001")
#: Tenant owning only "Globex".
TENANT_B = uuid.UUID("bbbbbbbb-0000-4000-8000-000000000002")

TAG_SALE_ID = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
TAG_ECO_ID = uuid.UUID("00000000-0000-4000-8000-0000000000a2")
TAG_NEW_ID = uuid.UUID("00000000-0000-4000-8000-0000000000a3")

# (tenant, name, founded, {department: [(team, headcount), ...]}, [(costcenter code, name), ...])
_COMPANIES: list[
    tuple[uuid.UUID, str, dt.date | None, dict[str, list[tuple[str, int]]], list[tuple[str, str]]]
] = [
    (
        TENANT_A,
        "Acme Corp",
        dt.date(1990, 4, 1),
        {
            "Engineering": [("Platform", 12), ("Mobile", 5)],
            "Sales": [("EMEA", 7)],
            "Finance": [("Accounting", 3)],
        },
        [("CC-100", "Research"), ("CC-200", "Operations")],
    ),
    (
        TENANT_A,
        "Acme Labs",
        dt.date(2015, 9, 15),
        {
            "Research": [("Robotics", 4), ("Materials", 2)],
            "Operations": [("Facilities", 1)],
        },
        [("CC-100", "Lab work"), ("CC-300", "Grants")],
    ),
    (
        TENANT_B,
        "Globex",
        None,
        {
            "Engineering": [("Backend", 9)],
            "Support": [("Tier 1", 6), ("Tier 2", 2)],
        },
        [("GX-01", "Headquarters"), ("GX-02", "Field")],
    ),
]


def _load_business() -> None:
    for index, (tenant, name, founded, departments, costcenters) in enumerate(_COMPANIES, 1):
        company = Company.objects.create(
            tenant_id=tenant,
            name=name,
            founded=founded,
            internal_notes=f"Internal notes for {name}: not for public consumption.",
        )
        for department_name, teams in departments.items():
            department = CompanyDepartment.objects.create(company=company, name=department_name)
            for team_name, headcount in teams:
                CompanyDepartmentTeam.objects.create(
                    department=department, name=team_name, headcount=headcount
                )
        for code, costcenter_name in costcenters:
            CompanyCostcenter.objects.create(company=company, code=code, name=costcenter_name)
        domain = name.lower().replace(" ", "") + ".example"
        for employee_type in (EmployeeType.OWNER, EmployeeType.ADMIN, EmployeeType.MEMBER):
            user_id = f"user-{index}-{employee_type.value}"
            Employee.objects.create(
                company=company,
                user_id=user_id,
                type=employee_type,
                email=f"{employee_type.value}@{domain}",
                api_token=f"secret-token-{index}-{employee_type.value}",
            )
        AuditEntry.objects.create(company=company, action="company.created")
    AuditEntry.objects.create(company=None, action="demo.loaded")


def _load_catalog() -> None:
    hardware = Category.objects.create(name="Hardware", slug="hardware")
    tools = Category.objects.create(name="Tools", slug="tools", parent=hardware)
    books = Category.objects.create(name="Books", slug="books")

    sale = Tag.objects.create(id=TAG_SALE_ID, name="sale", color="#ff0000")
    eco = Tag.objects.create(id=TAG_ECO_ID, name="eco", color="#00ff00")
    new = Tag.objects.create(id=TAG_NEW_ID, name="new", color="")

    hammer = Product.objects.create(
        sku="HAM-001",
        name="Claw hammer",
        description="A sturdy 16 oz claw hammer.",
        price=Decimal("19.99"),
        weight=0.45,
        in_stock=True,
        release_date=dt.date(2020, 1, 15),
        available_from=dt.time(8, 0),
        warranty=dt.timedelta(days=365),
        attributes={"material": "steel", "handle": "fiberglass"},
        homepage="https://tools.example/hammer",
        last_seen_ip="192.0.2.10",
        public_id=uuid.UUID("00000000-0000-4000-8000-0000000000b1"),
        rating=5,
        stock=120,
        views=10_000_000_000,
        position=1,
        checksum=b"\x00\x01\x02\x03",
        category=tools,
    )
    hammer.tags.set([sale, eco])
    drill = Product.objects.create(
        sku="DRL-002",
        name="Cordless drill",
        price=Decimal("89.00"),
        weight=1.6,
        release_date=dt.date(2022, 6, 1),
        warranty=dt.timedelta(days=730),
        attributes={"voltage": 18, "batteries": 2},
        last_seen_ip="2001:db8::1",
        public_id=uuid.UUID("00000000-0000-4000-8000-0000000000b2"),
        rating=4,
        stock=15,
        views=3400,
        position=2,
        category=tools,
    )
    drill.tags.set([new])
    Product.objects.create(
        sku="WRK-003",
        name="Workbench",
        price=Decimal("249.50"),
        in_stock=False,
        public_id=uuid.UUID("00000000-0000-4000-8000-0000000000b3"),
        position=3,
        category=hardware,
    )
    novel = Product.objects.create(
        sku="BK-004",
        name="The Django Chronicles",
        description="A novel about a web framework.",
        price=Decimal("12.00"),
        weight=0.3,
        release_date=dt.date(2019, 11, 5),
        public_id=uuid.UUID("00000000-0000-4000-8000-0000000000b4"),
        rating=3,
        stock=40,
        position=4,
        category=books,
    )
    novel.tags.set([sale, new])
    gift = Product.objects.create(
        sku="GFT-005",
        name="Gift card",
        price=Decimal("0.00"),
        public_id=uuid.UUID("00000000-0000-4000-8000-0000000000b5"),
        position=5,
    )
    gift.tags.set([eco])

    ProductDetail.objects.create(
        product=hammer,
        long_text="Forged steel head, fiberglass handle, rubber grip.",
        dimensions="33 x 13 x 3 cm",
    )

    Review.objects.create(product=hammer, author="alice", stars=5, body="Does the job.")
    Review.objects.create(product=hammer, author="bob", stars=4, body="A bit heavy.")
    Review.objects.create(product=drill, author="carol", stars=4)
    Review.objects.create(product=novel, author="dave", stars=2, body="Too many plot twists.")

    berlin = Warehouse.objects.create(code="BER-1", city="Berlin")
    lisbon = Warehouse.objects.create(code="LIS-1", city="Lisbon")
    StockItem.objects.create(product=hammer, warehouse=berlin, quantity=80)
    StockItem.objects.create(product=hammer, warehouse=lisbon, quantity=40)
    StockItem.objects.create(product=drill, warehouse=berlin, quantity=15)
    StockItem.objects.create(product=novel, warehouse=lisbon, quantity=40)


def load_demo_data() -> bool:
    """Create the demo data set; return ``False`` (doing nothing) if any company already exists."""
    if Company.objects.exists():
        return False
    with transaction.atomic():
        _load_business()
        _load_catalog()
    return True
