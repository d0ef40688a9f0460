"""OpenAPI snapshots and breaking-change detection: canonical JSON in, a list of changes out."""

from .canonical import canonical_json
from .changes import Change, Direction, Level, has_breaking, sort_changes, summarize
from .diff import diff_documents
from .resolve import RefResolutionError, resolve_refs
from .rules import default_level

__all__ = [
    "Change",
    "Direction",
    "Level",
    "RefResolutionError",
    "canonical_json",
    "default_level",
    "diff_documents",
    "has_breaking",
    "resolve_refs",
    "sort_changes",
    "summarize",
]
