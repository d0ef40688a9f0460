"""The only layer that imports FastAPI / Starlette: plan + stores → ``APIRouter``."""

from .route import install_problem_handlers
from .router import build_router

__all__ = ["build_router", "install_problem_handlers"]
