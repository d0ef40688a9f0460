"""A custom endpoint of the sandbox (``Gateway.action``, declared in ``sandbox/gateway.py``):
``POST /companies/{company_id}/transfer-ownership``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from pydantic import BaseModel, ConfigDict, Field

from .models import Company, EmployeeType


class OwnershipTransfer(BaseModel):
    """The employee who becomes the owner."""

    model_config = ConfigDict(extra="forbid")
    user_id: str = Field(min_length=1, max_length=64)


class Ownership(BaseModel):
    owner: str
    previous_owners: list[str]


def transfer_ownership(company: Company, body: OwnershipTransfer) -> Ownership:
    """Make an employee the owner of the company.

    Its owners so far become admins. The new owner must already be one of its employees
    (else 422 and nothing changes). Needs the company's update scopes: with
    `business.companies.update.own`, only its owners and admins may transfer it.
    """
    employee = company.employees.filter(user_id=body.user_id).first()
    if employee is None:
        raise ValidationError(
            {"user_id": ValidationError("No employee has this user id.", code="does_not_exist")}
        )
    owners = company.employees.filter(type=EmployeeType.OWNER).exclude(pk=employee.pk)
    previous = sorted(owners.values_list("user_id", flat=True))
    owners.update(type=EmployeeType.ADMIN)
    employee.type = EmployeeType.OWNER
    employee.save(update_fields=["type"])
    return Ownership(owner=employee.user_id, previous_owners=previous)
