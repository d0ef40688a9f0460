"""A custom column type djgateway has no schema type for (no ``register_field``)."""

from typing import Any

from django.db import models


class GeoPointField(models.Field):  # type: ignore[type-arg]
    """A "lat,lon" text column; its internal type is its own."""

    def get_internal_type(self) -> str:
        return "GeoPointField"

    def db_type(self, connection: Any) -> str:
        return "varchar(64)"
