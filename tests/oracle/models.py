"""Models for the differential oracle (tests/integration/test_differential.py).

Every built-in field type, required and nullable, on a parent with a UUID key and on a child
with a text key nested under it; the same pair with only the field types that read as plain
values (so that every read of it may take the compiled and plain paths); and default managers
that make a read depend on the request (a tenant held in a context variable) or on the clock
(rows published later).
"""

from __future__ import annotations

import contextvars
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

#: The tenant of the current request (set by the test app's middleware from ``X-Tenant``).
current_tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "oracle_current_tenant", default=None
)

CHAR_LENGTH = 12
SLUG_LENGTH = 20
EMAIL_LENGTH = 40
URL_LENGTH = 60
BINARY_LENGTH = 16


class PlainFields(models.Model):
    """A column per field type whose JSON is its plain value (``orm/rows.py``), and its
    nullable twin (``*_opt``): a resource with only these may take every fast path."""

    char = models.CharField(max_length=CHAR_LENGTH)
    char_opt = models.CharField(max_length=CHAR_LENGTH, null=True)
    text = models.TextField()
    text_opt = models.TextField(null=True)
    slug = models.SlugField(max_length=SLUG_LENGTH)
    slug_opt = models.SlugField(max_length=SLUG_LENGTH, null=True)
    email = models.EmailField(max_length=EMAIL_LENGTH)
    email_opt = models.EmailField(max_length=EMAIL_LENGTH, null=True)
    url = models.URLField(max_length=URL_LENGTH)
    url_opt = models.URLField(max_length=URL_LENGTH, null=True)
    int32 = models.IntegerField()
    int32_opt = models.IntegerField(null=True)
    int16 = models.SmallIntegerField()
    int16_opt = models.SmallIntegerField(null=True)
    int64 = models.BigIntegerField()
    int64_opt = models.BigIntegerField(null=True)
    uint32 = models.PositiveIntegerField()
    uint32_opt = models.PositiveIntegerField(null=True)
    uint16 = models.PositiveSmallIntegerField()
    uint16_opt = models.PositiveSmallIntegerField(null=True)
    uint64 = models.PositiveBigIntegerField()
    uint64_opt = models.PositiveBigIntegerField(null=True)
    real = models.FloatField()
    real_opt = models.FloatField(null=True)
    flag = models.BooleanField()
    flag_opt = models.BooleanField(null=True)
    day = models.DateField()
    day_opt = models.DateField(null=True)
    moment = models.DateTimeField()
    moment_opt = models.DateTimeField(null=True)
    guid = models.UUIDField()
    guid_opt = models.UUIDField(null=True)
    address = models.GenericIPAddressField()
    address_opt = models.GenericIPAddressField(null=True)

    class Meta:
        abstract = True


class AllFields(PlainFields):
    """Every built-in field type: the plain ones and those the read schema writes."""

    amount = models.DecimalField(max_digits=9, decimal_places=3)
    amount_opt = models.DecimalField(max_digits=9, decimal_places=3, null=True)
    clock = models.TimeField()
    clock_opt = models.TimeField(null=True)
    span = models.DurationField()
    span_opt = models.DurationField(null=True)
    document = models.JSONField()
    document_opt = models.JSONField(null=True)
    blob = models.BinaryField(max_length=BINARY_LENGTH)
    blob_opt = models.BinaryField(max_length=BINARY_LENGTH, null=True)

    class Meta:
        abstract = True


class Parent(AllFields):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)


class Child(AllFields):
    """Nested: ``/parents/{parent_id}/children``."""

    code = models.CharField(primary_key=True, max_length=40)
    parent = models.ForeignKey(Parent, models.CASCADE, related_name="children")


class PlainParent(PlainFields):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)


class PlainChild(PlainFields):
    """Nested: ``/plain-parents/{plain_parent_id}/children``."""

    code = models.CharField(primary_key=True, max_length=40)
    parent = models.ForeignKey(PlainParent, models.CASCADE, related_name="children")


class Contact(models.Model):
    """Served with an explicit read schema (the test's ``ContactRead``)."""

    email = models.EmailField()
    price = models.DecimalField(max_digits=8, decimal_places=2)


class TenantManager(models.Manager["TenantNote"]):
    """The rows of the current request's tenant only."""

    def get_queryset(self) -> models.QuerySet[TenantNote]:
        return super().get_queryset().filter(tenant=current_tenant.get())


class TenantNote(models.Model):
    tenant = models.CharField(max_length=10)
    title = models.CharField(max_length=50)

    objects: Any = TenantManager()


class PublishedManager(models.Manager["Bulletin"]):
    """The rows whose publication time has come."""

    def get_queryset(self) -> models.QuerySet[Bulletin]:
        return super().get_queryset().filter(published_at__lte=timezone.now())


class Bulletin(models.Model):
    title = models.CharField(max_length=50)
    published_at = models.DateTimeField()

    objects: Any = PublishedManager()
