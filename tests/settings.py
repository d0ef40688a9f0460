"""Test settings: the sandbox project on the database named by DJGATEWAY_TEST_DATABASE_URL.

SQLite (in memory) by default; for PostgreSQL use for example
``DJGATEWAY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test``.
"""

import os

from djgateway.sandbox.dburl import database_from_url
from djgateway.sandbox.settings import *  # noqa: F403
from djgateway.sandbox.settings import INSTALLED_APPS

DATABASES = {
    "default": database_from_url(
        os.environ.get("DJGATEWAY_TEST_DATABASE_URL", "sqlite:///djgateway-test.sqlite3")
    )
}
INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.sessions",
    "tests.testapp",
    "tests.oracle",
]
