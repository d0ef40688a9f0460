"""Django REST Framework: model viewsets, drf-nested-routers and django-filter.

Written as the DRF documentation suggests, configured lean (JSON renderer and parser only,
no authentication classes: see ``bench.settings``). Nested viewsets answer 404 for a parent
that does not exist on the path, like djgateway.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import include, path
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework_nested.routers import NestedSimpleRouter

from djgateway.sandbox.business.models import Company, CompanyDepartment, CompanyDepartmentTeam

from .common import DEFAULT_PAGE, MAX_PAGE, ORDER_FIELDS, encode_cursor


class ItemsPagination(BasePagination):
    """``?limit=`` pages shaped like djgateway's: ``{"items": [...], "next_cursor": ...}``."""

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        raw = request.query_params.get("limit", str(DEFAULT_PAGE))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise ValidationError({"limit": f"an integer from 1 to {MAX_PAGE}"})
        limit = int(raw)
        rows = list(queryset[: limit + 1])
        self.cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            order = [name.lstrip("-") for name in queryset.query.order_by]
            self.cursor = encode_cursor([*(getattr(last, name) for name in order), last.pk])
        return rows[:limit]

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"items": data, "next_cursor": self.cursor})


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ("id", "tenant_id", "name", "founded", "created_at", "updated_at")


class DepartmentSerializer(serializers.ModelSerializer):
    company_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = CompanyDepartment
        fields = ("id", "company_id", "name")


class TeamSerializer(serializers.ModelSerializer):
    department_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = CompanyDepartmentTeam
        fields = ("id", "department_id", "name", "headcount")


class CompanyViewSet(viewsets.ModelViewSet):
    queryset = Company.objects.all()
    serializer_class = CompanySerializer
    pagination_class = ItemsPagination
    filter_backends = (DjangoFilterBackend, OrderingFilter)
    filterset_fields = {"name": ["exact", "istartswith"], "founded": ["gte", "lte"]}
    ordering_fields = ORDER_FIELDS
    ordering = ("id",)


class NestedViewSet(viewsets.ModelViewSet):
    """A child viewset: rows under the parent on the path; a missing parent is a 404."""

    pagination_class = ItemsPagination
    parent_model: type[Model]

    def parent_filter(self) -> dict[str, Any]:
        raise NotImplementedError

    def require_parent(self) -> None:
        if not self.parent_model._default_manager.filter(**self.parent_filter()).exists():
            raise Http404

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.require_parent()
        return super().list(request, *args, **kwargs)


class DepartmentViewSet(NestedViewSet):
    serializer_class = DepartmentSerializer
    parent_model = Company

    def parent_filter(self) -> dict[str, Any]:
        return {"pk": self.kwargs["company_pk"]}

    def get_queryset(self) -> QuerySet[CompanyDepartment]:
        return CompanyDepartment.objects.filter(company_id=self.kwargs["company_pk"]).order_by("id")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self.require_parent()
        serializer.save(company_id=self.kwargs["company_pk"])


class TeamViewSet(NestedViewSet):
    serializer_class = TeamSerializer
    parent_model = CompanyDepartment

    def parent_filter(self) -> dict[str, Any]:
        return {"pk": self.kwargs["department_pk"], "company_id": self.kwargs["company_pk"]}

    def get_queryset(self) -> QuerySet[CompanyDepartmentTeam]:
        return CompanyDepartmentTeam.objects.filter(
            department_id=self.kwargs["department_pk"],
            department__company_id=self.kwargs["company_pk"],
        ).order_by("id")


router = SimpleRouter(trailing_slash=False)
router.register("companies", CompanyViewSet, basename="company")
departments = NestedSimpleRouter(router, "companies", lookup="company")
departments.register("departments", DepartmentViewSet, basename="company-department")
teams = NestedSimpleRouter(departments, "departments", lookup="department")
teams.register("teams", TeamViewSet, basename="department-team")

urlpatterns = [path("api/", include([*router.urls, *departments.urls, *teams.urls]))]
