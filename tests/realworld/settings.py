"""A real-world project: Django contrib, django-oscar 4 with its documented INSTALLED_APPS, and
``shop``, a small app on django-taggit, django-money, django-countries, django-polymorphic,
django-treebeard and multi-table inheritance.

The database comes from ``DJGATEWAY_TEST_DATABASE_URL`` (SQLite by default), as for the other
tests. Run with ``DJANGO_SETTINGS_MODULE=tests.realworld.settings pytest tests/realworld``.
"""

import os

from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *  # noqa: F403

from djgateway.sandbox.dburl import database_from_url

SECRET_KEY = "djgateway-realworld-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = os.environ.get("DJGATEWAY_TEST_LANGUAGE_CODE", "en-us")
USE_I18N = True
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

DATABASES = {
    "default": database_from_url(
        os.environ.get("DJGATEWAY_TEST_DATABASE_URL", "sqlite:///djgateway-realworld.sqlite3")
    )
}

INSTALLED_APPS = [
    *OSCAR_APPS,
    "sorl.thumbnail",  # in oscar's documented INSTALLED_APPS (its default thumbnailer)
    "django.contrib.redirects",
    "taggit",
    "djmoney",
    "django_countries",
    "polymorphic",
    "tests.realworld.shop",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
STATIC_URL = "/static/"
ROOT_URLCONF = "tests.realworld.urls"
