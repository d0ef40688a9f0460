"""A small shop on the third-party fields and model kinds real projects use."""

from django.db import models
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField
from polymorphic.models import PolymorphicModel
from taggit.managers import TaggableManager
from treebeard.mp_tree import MP_Node

from .fields import GeoPointField


class Publisher(models.Model):
    name = models.CharField(max_length=100)
    headquarters = GeoPointField(null=True, blank=True)  # left out, with a warning
    country = CountryField()
    markets = CountryField(multiple=True, blank=True)
    tags = TaggableManager(blank=True)

    def __str__(self) -> str:
        return self.name


class Category(MP_Node):
    name = models.CharField(max_length=100)
    node_order_by = ["name"]


class Product(models.Model):
    """Multi-table inheritance root: a book is a product with its own table."""

    title = models.CharField(max_length=200)
    price = MoneyField(max_digits=10, decimal_places=2, default_currency="EUR")
    discount = MoneyField(max_digits=10, decimal_places=2, null=True, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=100, null=True)  # null without blank: full_clean requires it

    def clean(self) -> None:
        # Follows the key without checking it first, as many real clean() methods do.
        if self.category_id is not None and self.category.name == "archive":
            from django.core.exceptions import ValidationError

            raise ValidationError("Archived categories take no products.")


class Book(Product):
    isbn = models.CharField(max_length=13, unique=True)
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="books")


class Author(models.Model):
    name = models.CharField(max_length=100)
    books = models.ManyToManyField(Book, through="Authorship", related_name="authors")


class Authorship(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, default="author")


class Media(PolymorphicModel):
    title = models.CharField(max_length=100)


class Album(Media):
    artist = models.CharField(max_length=100)


class Film(Media):
    director = models.CharField(max_length=100)


class Voucher(models.Model):
    """Fields named like the list query parameters."""

    code = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)
    limit = models.PositiveIntegerField(default=10)
    search = models.CharField(max_length=20, blank=True)
    fields = models.CharField(max_length=20, blank=True)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.count > self.limit:
            raise ValidationError({"count": "count exceeds limit"})
        if self.code == "X":
            raise ValidationError(["X is reserved."])  # a list, as oscar's offers raise
