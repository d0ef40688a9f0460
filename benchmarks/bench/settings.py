"""Django settings shared by every Django-based contender: the sandbox's, plus DRF.

The database comes from ``DJGATEWAY_DATABASE_URL`` exactly as in the sandbox. Connections
are set up the same way for every contender:

- PostgreSQL: Django's connection pool (psycopg_pool, ``BENCH_PG_POOL`` connections per
  process, default 8). Persistent per-thread connections (``CONN_MAX_AGE``) would give
  every thread of a FastAPI thread pool its own connection: with five servers side by
  side that exceeds PostgreSQL's ``max_connections``. ``BENCH_PG_POOL=0`` switches the
  pool off and uses ``CONN_MAX_AGE`` instead.
- SQLite: persistent connections (``BENCH_CONN_MAX_AGE`` seconds, default 60, with health
  checks) and ``BEGIN IMMEDIATE`` transactions, so that concurrent writers wait for the
  lock instead of failing with "database is locked".
"""

from __future__ import annotations

import os
from typing import Any

from djgateway.sandbox import settings as sandbox

SECRET_KEY = sandbox.SECRET_KEY
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = sandbox.DEFAULT_AUTO_FIELD
MIDDLEWARE: list[str] = []
INSTALLED_APPS = [*sandbox.INSTALLED_APPS, "rest_framework", "django_filters"]
ROOT_URLCONF = os.environ.get("BENCH_URLCONF", "bench.contenders.drf_urls")

_database: dict[str, Any] = dict(sandbox.DATABASES["default"])
_pool = int(os.environ.get("BENCH_PG_POOL", "8"))
if _database["ENGINE"].endswith("postgresql") and _pool:
    _database["OPTIONS"] = {"pool": {"min_size": 2, "max_size": _pool, "timeout": 20}}
else:
    _database["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "60"))
    _database["CONN_HEALTH_CHECKS"] = True
if _database["ENGINE"].endswith("sqlite3"):
    _database["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DATABASES = {"default": _database}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "ORDERING_PARAM": "order_by",
}
