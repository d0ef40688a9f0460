"""The real-world suite runs under its own settings (``tests.realworld.settings``): django-oscar
and the third-party apps of ``shop`` are installed there only. The main run leaves it out;
``.ci/run`` runs it on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

ACTIVE = os.environ.get("DJANGO_SETTINGS_MODULE") == "tests.realworld.settings"

collect_ignore_glob = [] if ACTIVE else ["*"]


@pytest.fixture
def rw_db(transactional_db: Any) -> Iterator[None]:
    """Oscar's data migrations create rows (the default site, communication types) that a
    flush removes; the tests create what they need."""
    from django.contrib.sites.models import Site

    Site.objects.get_or_create(pk=1, defaults={"domain": "testserver", "name": "test"})
    yield
