"""``Model.full_clean()`` without re-validating a parent link the path already proved."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def full_clean(instance: models.Model, trusted: Collection[str] = ()) -> None:
    """Django's ``full_clean()``, except that the fields named in ``trusted`` skip their own
    field validation; uniqueness and constraints still cover them.

    A nested resource's parent link comes from the path, checked (or created) in the same
    transaction: validating it again costs a query per write (``ForeignKey.validate``).
    ``full_clean(exclude=...)`` would also drop the unique checks that involve it.
    """
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.clean_fields(exclude=set(trusted))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}  # unique checks skip these
    try:
        instance.validate_unique(exclude=failed)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_constraints(exclude=failed)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
