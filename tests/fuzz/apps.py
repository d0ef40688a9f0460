"""Small FastAPI apps to fuzz: one with planted bugs, one without."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Path, Query

app = FastAPI(title="planted")
healthy = FastAPI(title="healthy")
filters = FastAPI(title="filters")  # a list with many query parameters

ItemId = Annotated[int, Path(ge=0, le=1000)]


@app.get("/boom")
def boom() -> dict[str, str]:
    raise RuntimeError("a planted bug")


@app.get("/items/{item_id}")
def read_item(item_id: ItemId) -> dict[str, int]:
    if item_id % 7 == 3:  # a bug only some ids reach
        raise RuntimeError("a planted bug")
    return {"id": item_id}


@healthy.get("/items/{item_id}")
def read_healthy_item(item_id: ItemId) -> dict[str, int]:
    return {"id": item_id}


def create_app() -> FastAPI:
    """A factory, as ``--app`` accepts."""
    return healthy


Bounded = Annotated[int | None, Query(ge=0, le=100)]
Short = Annotated[str | None, Query(max_length=5)]


@filters.get("/things")
def list_things(
    a: Bounded = None, b: Bounded = None, c: Bounded = None, d: Short = None, e: Short = None
) -> list[int]:
    return []
