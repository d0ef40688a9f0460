"""Row filters re-rooted along the parent chain: an ancestor's ``Q`` seen from a child model."""

from __future__ import annotations

from typing import Any

from django.db.models import Q


def prefix_q(condition: Q, prefix: str) -> Q:
    """``Q(tenant_id=1)`` → ``Q(company__tenant_id=1)`` for ``prefix="company"``."""
    if not prefix:
        return condition
    rewritten = Q()
    rewritten.connector = condition.connector
    rewritten.negated = condition.negated
    rewritten.children = [_prefix_child(child, prefix) for child in condition.children]
    return rewritten


def _prefix_child(child: Any, prefix: str) -> Any:
    if isinstance(child, Q):
        return prefix_q(child, prefix)
    lookup, value = child
    return (f"{prefix}__{lookup}", value)
