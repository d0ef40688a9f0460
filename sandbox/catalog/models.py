"""Catalog models covering every relation kind and built-in field type."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    COLOR_CHOICES = [("#ff0000", "red"), ("#00ff00", "green"), ("#0000ff", "blue")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=50, unique=True)
    color = models.CharField(max_length=7, choices=COLOR_CHOICES, blank=True)

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    id = models.BigAutoField(primary_key=True)
    sku = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    weight = models.FloatField(null=True, blank=True)
    in_stock = models.BooleanField(default=True)
    release_date = models.DateField(null=True, blank=True)
    available_from = models.TimeField(null=True, blank=True)
    warranty = models.DurationField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    homepage = models.URLField(blank=True)
    last_seen_ip = models.GenericIPAddressField(null=True, blank=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True)
    rating = models.SmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    stock = models.PositiveIntegerField(default=0)
    views = models.BigIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    manual = models.FileField(upload_to="manuals/", blank=True)
    checksum = models.BinaryField(null=True, blank=True)  # editable=False by default
    created = models.DateTimeField(auto_now_add=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="products"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="products")

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ProductDetail(models.Model):
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="detail")
    long_text = models.TextField(blank=True)
    dimensions = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"Detail of {self.product_id}"


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    author = models.CharField(max_length=80)
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    body = models.TextField(blank=True)
    written_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.author}: {self.stars}/5"


class Warehouse(models.Model):
    code = models.CharField(max_length=12, primary_key=True)
    city = models.CharField(max_length=80)

    def __str__(self) -> str:
        return f"{self.code} ({self.city})"


class StockItem(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_items")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock_items")
    quantity = models.IntegerField(default=0)

    class Meta:
        unique_together = [("product", "warehouse")]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.quantity}"
