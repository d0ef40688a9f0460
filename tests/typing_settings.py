"""Settings for mypy's django-stubs plugin: the library itself refers to no project models."""

SECRET_KEY = "typing-only"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
