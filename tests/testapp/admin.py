"""A ModelAdmin whose options djgateway takes as defaults for the Account resource."""

from django.contrib import admin

from .models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    search_fields = ["=name"]
    list_filter = ["name"]
    ordering = ["-name"]
    list_per_page = 25
