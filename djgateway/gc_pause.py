"""``paused_gc()``: no cyclic garbage collection while a gateway is built.

Building a gateway creates hundreds of thousands of objects (pydantic models, core schemas,
routes, the OpenAPI document); each few hundred allocations start a collection, and the older
generations are scanned again and again over every object of Django and the installed apps.
For oscar's 68 models that was a third of the build and half of the OpenAPI document. Nothing
built here needs collecting before it is finished; the collector runs again afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the block (nested blocks and a collector that was
    already off are left as they are)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
