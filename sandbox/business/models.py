"""Multi-tenant business models: a company tree nested three levels deep."""

from __future__ import annotations

from django.db import models


class Company(models.Model):
    tenant_id = models.UUIDField(db_index=True)
    name = models.CharField(max_length=100)
    founded = models.DateField(null=True, blank=True)
    internal_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class CompanyDepartment(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"], name="business_department_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CompanyDepartmentTeam(models.Model):
    department = models.ForeignKey(
        CompanyDepartment, on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(max_length=100)
    headcount = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class CostcenterStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class CompanyCostcenter(models.Model):
    """Deleting a cost center through the API archives it (soft delete)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="costcenters")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    status = models.CharField(
        max_length=10, choices=CostcenterStatus.choices, default=CostcenterStatus.ACTIVE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"], name="business_costcenter_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EmployeeType(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class Employee(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employees")
    user_id = models.CharField(max_length=64)
    type = models.CharField(
        max_length=10, choices=EmployeeType.choices, default=EmployeeType.MEMBER
    )
    email = models.EmailField(blank=True)
    # Sensitive: the gateway must never expose this field unless explicitly configured to.
    api_token = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} ({self.type})"


class AuditEntry(models.Model):
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, related_name="audit_entries"
    )
    action = models.CharField(max_length=50)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d %H:%M:%S}" if self.at else self.action
