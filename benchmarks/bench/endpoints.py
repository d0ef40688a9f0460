"""The requests every contender answers: same path, same body, same expected JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .dataset import WRITE_PREFIX, Fixture

Group = Literal["main", "page", "depth"]


@dataclass(frozen=True)
class Endpoint:
    key: str
    title: str
    method: str
    path: str
    status: int
    group: Group
    body: str | None = None  # a fixed JSON body; POSTs get unique names from the Lua script
    note: str = ""

    @property
    def writes(self) -> bool:
        return self.method != "GET"


def endpoints(fixture: Fixture) -> list[Endpoint]:
    """Main endpoints first, then the growth series (page size, nesting depth)."""
    hub, writer = fixture.hub_company, fixture.write_company
    teams = f"/api/companies/{hub}/departments/{fixture.hub_department}/teams"
    write_team = (
        f"/api/companies/{writer}/departments/{fixture.write_department}/teams/{fixture.write_team}"
    )
    companies = "/api/companies"
    return [
        Endpoint(
            "list", "list 100 by name", "GET", f"{companies}?order_by=name&limit=100", 200, "main"
        ),
        Endpoint(
            "filtered",
            "filtered list",
            "GET",
            f"{companies}?name__istartswith={fixture.filter_prefix}",
            200,
            "main",
            note="default order (id), default page (100)",
        ),
        Endpoint("retrieve", "retrieve by id", "GET", f"{companies}/{hub + 7}", 200, "main"),
        Endpoint(
            "nested", "nested list, 2 levels down", "GET", teams, 200, "main", note="10 teams"
        ),
        Endpoint(
            "create",
            "create (POST)",
            "POST",
            f"{companies}/{writer}/departments",
            201,
            "main",
            note=f'unique "{WRITE_PREFIX}…" names, deleted after the run',
        ),
        Endpoint(
            "update",
            "partial update (PATCH)",
            "PATCH",
            write_team,
            200,
            "main",
            body='{"headcount": 17}',
        ),
        Endpoint(
            "page10",
            "list by name, page 10",
            "GET",
            f"{companies}?order_by=name&limit=10",
            200,
            "page",
        ),
        Endpoint(
            "page1000",
            "list by name, page 1000",
            "GET",
            f"{companies}?order_by=name&limit=1000",
            200,
            "page",
        ),
        Endpoint("depth1", "depth 1: /companies", "GET", f"{companies}?limit=10", 200, "depth"),
        Endpoint(
            "depth2",
            "depth 2: /companies/{id}/departments",
            "GET",
            f"{companies}/{hub}/departments",
            200,
            "depth",
            note="10 departments",
        ),
    ]


# The growth tables reuse two main measurements.
PAGE_SERIES = (("10", "page10"), ("100", "list"), ("1000", "page1000"))
DEPTH_SERIES = (("1", "depth1"), ("2", "depth2"), ("3", "nested"))
