"""Words of the document: articles of summaries, tags, model descriptions."""

from __future__ import annotations

import pytest

from djgateway.plan import naming
from djgateway.sandbox.business.models import Company, CompanyCostcenter


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("employee", "an employee"),
        ("company", "a company"),
        ("order line", "an order line"),
        ("item", "an item"),
        ("user", "a user"),
        ("unit", "a unit"),
        ("euro price", "a euro price"),
        ("hour slot", "an hour slot"),
        ("umbrella", "an umbrella"),
    ],
)
def test_summaries_take_the_article_of_the_sound(noun: str, expected: str) -> None:
    assert naming.with_article(noun) == expected


def test_tags_are_readable_segments_and_stay_unique() -> None:
    assert naming.tag_name("stock-items") == "Stock items"
    assert naming.unique_tags({"orders.lines": "Lines", "baskets.lines": "Lines", "a": "A"}) == {
        "orders.lines": "Lines (orders.lines)",
        "baskets.lines": "Lines (baskets.lines)",
        "a": "A",
    }


def test_a_docstring_django_wrote_is_no_description() -> None:
    assert Company.__doc__ is not None and Company.__doc__.startswith("Company(id, ")
    assert naming.model_description(Company) is None
    assert naming.model_description(CompanyCostcenter) == (
        "Deleting a cost center through the API archives it (soft delete)."
    )
