"""Models that exercise the introspection decisions the sandbox does not."""

from django.db import models


class Library(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        verbose_name_plural = "libraries"


class LibraryProxy(Library):
    class Meta:
        proxy = True


class Shelf(models.Model):
    library = models.ForeignKey(Library, models.CASCADE, related_name="shelves")
    label = models.CharField(max_length=20)


class Book(models.Model):
    shelf = models.ForeignKey(Shelf, models.CASCADE, related_name="books")
    title = models.CharField(max_length=100)


class Loan(models.Model):
    """Nullable and PROTECT foreign keys do not imply ownership."""

    book = models.ForeignKey(Book, models.PROTECT, related_name="loans")
    library = models.ForeignKey(Library, models.CASCADE, null=True, related_name="loans")


class Node(models.Model):
    parent = models.ForeignKey("self", models.CASCADE, related_name="children")


class Alpha(models.Model):
    beta = models.ForeignKey("Beta", models.CASCADE, related_name="alphas")


class Beta(models.Model):
    alpha = models.ForeignKey(Alpha, models.CASCADE, related_name="betas")


class Account(models.Model):
    name = models.CharField(max_length=50)
    password = models.CharField(max_length=128)
    secret_answer = models.CharField(max_length=50, blank=True)
    access_token = models.CharField(max_length=50, blank=True)
    api_key = models.CharField(max_length=50, blank=True)


class Tag(models.Model):
    """Collides with catalog.Tag on the path ``/tags`` and the component names."""

    name = models.CharField(max_length=20)


class Page(models.Model):
    """Default related accessor (``page_set``): the segment falls back to the verbose name."""

    book = models.ForeignKey(Book, models.CASCADE)
    number = models.PositiveIntegerField()


class Gauge(models.Model):
    """Fields named like the query parameters of list and aggregate routes."""

    name = models.CharField(max_length=20)
    count = models.IntegerField(default=0)
    limit = models.IntegerField(null=True)
    offset = models.IntegerField(default=0)
    cursor = models.CharField(max_length=20, blank=True)
    order_by = models.CharField(max_length=20, blank=True)
    fields = models.CharField(max_length=20, blank=True)
    search = models.CharField(max_length=20, blank=True)
    group_by = models.BooleanField(default=False)
