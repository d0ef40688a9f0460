"""Settings for the djgateway sandbox: a minimal, API-only demo project.

The database is taken from ``DJGATEWAY_DATABASE_URL`` (see :mod:`.dburl`) and defaults to the
SQLite file ``djgateway-sandbox.sqlite3`` in the current working directory. On SQLite, write
transactions begin IMMEDIATE with a 10 s busy timeout, so concurrent writers wait their turn.
"""

from __future__ import annotations

import os
from pathlib import Path

from .dburl import database_from_url

# SANDBOX ONLY: a fixed, public development key. Never use these settings in production.
SECRET_KEY = "djgateway-sandbox-insecure-dev-key-do-not-use-in-production"

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

USE_TZ = True
TIME_ZONE = "UTC"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "djgateway.sandbox.business",
    "djgateway.sandbox.catalog",
]

MIDDLEWARE: list[str] = []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_DEFAULT_DATABASE_URL = f"sqlite:///{Path.cwd() / 'djgateway-sandbox.sqlite3'}"

DATABASES = {
    "default": database_from_url(os.environ.get("DJGATEWAY_DATABASE_URL", _DEFAULT_DATABASE_URL)),
}
