"""ORM work for one resource: scoped querysets, reads and transactional writes. No FastAPI."""

from .signals import request_scope
from .store import ResourceStore
from .visibility import Caller, caller_for

__all__ = ["Caller", "ResourceStore", "caller_for", "request_scope"]
