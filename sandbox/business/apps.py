from __future__ import annotations

from django.apps import AppConfig


class BusinessConfig(AppConfig):
    name = "djgateway.sandbox.business"
    label = "business"
    verbose_name = "Business"
    default_auto_field = "django.db.models.BigAutoField"
