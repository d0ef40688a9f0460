from django.apps import AppConfig


class OracleConfig(AppConfig):
    name = "tests.oracle"
    label = "oracle"
    default_auto_field = "django.db.models.AutoField"
