"""``rows.plain_keys``: only fields whose JSON is the plain value's skip the read model."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_serializer

from djgateway.orm.rows import plain_keys
from djgateway.sandbox.catalog.models import Product


class Plain(BaseModel):
    id: int
    name: str
    weight: float | None
    in_stock: bool
    release_date: datetime.date | None
    created: datetime.datetime
    tags: list[Annotated[str, Field(max_length=36)]]
    sku: Literal["a", "b"]


def test_numbers_text_booleans_dates_and_ids_are_plain() -> None:
    assert plain_keys(Plain, Product) == set(Plain.model_fields)


def test_fields_with_their_own_json_are_not() -> None:
    class Custom(BaseModel):
        id: int
        name: str = Field(serialization_alias="title")
        sku: str = Field(exclude=True)
        price: decimal.Decimal
        views: Annotated[int, PlainSerializer(str)]
        description: str

        @field_serializer("description")
        def shout(self, value: str) -> str:
            return value.upper()

    # a Decimal is written by pydantic-core alike in both paths: plain
    assert plain_keys(Custom, Product) == {"id", "price"}


def test_a_config_that_changes_json_turns_the_whole_schema_off() -> None:
    class Aliased(Plain):
        model_config = ConfigDict(serialize_by_alias=True)

    class Infinite(Plain):
        model_config = ConfigDict(ser_json_inf_nan="constants")

    assert plain_keys(Aliased, Product) == frozenset()
    assert plain_keys(Infinite, Product) == frozenset()


def test_a_key_that_is_not_a_model_column_is_not_plain() -> None:
    class Extra(BaseModel):
        id: int
        shipping_estimate: int

    assert plain_keys(Extra, Product) == {"id"}
