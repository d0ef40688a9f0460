"""The only layer that imports FastAPI / Starlette: plan + stores → ``APIRouter``."""

from .router import build_router

__all__ = ["build_router"]
