"""``ResourceStore``: the reads and writes of one resource, always scoped by the parent chain
taken from the path and by what the caller may see (``visibility.py``).

Layers inside ``orm/``: ``core`` (scoping, parent check, compiled statements) ← ``reads`` /
``writes`` (``writes`` uses ``nested`` for children, which knows stores only as a protocol)
← ``store``.
"""

from __future__ import annotations

from .core import MAX_STATEMENTS, PathIds
from .reads import Reads
from .writes import Writes

__all__ = ["MAX_STATEMENTS", "PathIds", "ResourceStore"]


class ResourceStore(Reads, Writes):
    """Everything the endpoints of one resource do with the database."""
