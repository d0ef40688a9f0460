"""ORM work for one resource: scoped querysets, reads and transactional writes. No FastAPI."""

from .signals import request_scope
from .store import ResourceStore

__all__ = ["ResourceStore", "request_scope"]
