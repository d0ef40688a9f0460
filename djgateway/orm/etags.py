"""Entity tags of representations, and the If-Match / If-None-Match comparisons (RFC 9110)."""

from __future__ import annotations

import hashlib


def etag_of(body: bytes) -> str:
    """A strong ETag: a digest of the exact JSON sent for the representation."""
    return f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def none_match(header: str, etag: str) -> bool:
    """True when ``If-None-Match`` names the current representation (weak comparison)."""
    tags = _tags(header)
    return "*" in tags or etag in (tag.removeprefix("W/") for tag in tags)


def match_fails(header: str, etag: str) -> bool:
    """True when ``If-Match`` does not name the current representation (strong comparison)."""
    tags = _tags(header)
    return "*" not in tags and etag not in tags
