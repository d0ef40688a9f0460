"""Fuzz an API with Schemathesis, in process: options in, a :class:`FuzzReport` out.

Nothing here prints; ``djgateway fuzz`` renders the report. Schemathesis is an optional
dependency (``pip install 'djgateway[fuzz]'``), imported only when a run starts.
"""

from .credentials import plan_scopes
from .options import FuzzOptions, Progress
from .report import FuzzFailure, FuzzReport, OperationStats
from .runner import FuzzRun, FuzzSetupError, MissingDependencyError, prepare_fuzz, run_fuzz

__all__ = [
    "FuzzFailure",
    "FuzzOptions",
    "FuzzReport",
    "FuzzRun",
    "FuzzSetupError",
    "MissingDependencyError",
    "OperationStats",
    "Progress",
    "plan_scopes",
    "prepare_fuzz",
    "run_fuzz",
]
