"""The keyset predicate "rows after this one" for an ordering that ends with the primary key.

NULLs sort last ascending and first descending on every database (the store orders that way),
so "after" is well defined for nullable columns too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from .params import OrderTerm


def rows_after(ordering: Sequence[OrderTerm], values: Sequence[Any]) -> Q:
    after = Q(pk__in=[])  # matches nothing; OR-ed with one branch per ordering position
    equal_so_far = Q()
    for term, value in zip(ordering, values, strict=True):
        name = term.key.name
        after |= equal_so_far & _beyond(name, value, term.descending)
        equal_so_far &= Q((f"{name}__isnull", True)) if value is None else Q((name, value))
    return after


def _beyond(name: str, value: Any, descending: bool) -> Q:
    if value is None:
        # ascending: NULLs are last, nothing is beyond; descending: NULLs first, all others follow
        return Q((f"{name}__isnull", False)) if descending else Q(pk__in=[])
    if descending:
        return Q((f"{name}__lt", value))
    return Q((f"{name}__gt", value)) | Q((f"{name}__isnull", True))
