"""``Model.full_clean()`` without re-validating a parent link the path already proved."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models


def full_clean(instance: models.Model, trusted: Collection[str] = ()) -> None:
    """Django's ``full_clean()``, except that the fields named in ``trusted`` skip their own
    field validation; uniqueness and constraints still cover them.

    A nested resource's parent link comes from the path, checked (or created) in the same
    transaction: validating it again costs a query per write (``ForeignKey.validate``).
    ``full_clean(exclude=...)`` would also drop the unique checks that involve it.
    """
    errors: dict[str, list[ValidationError]] = {}
    errors = _collected(errors, lambda: instance.clean_fields(exclude=set(trusted)))
    errors = _collected(errors, instance.clean, rule=True)
    failed = {name for name in errors if name != NON_FIELD_ERRORS}  # unique checks skip these
    errors = _collected(errors, lambda: instance.validate_unique(exclude=failed))
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    errors = _collected(errors, lambda: instance.validate_constraints(exclude=failed))
    if errors:
        raise ValidationError(errors)


def _collected(
    errors: dict[str, list[ValidationError]], check: Callable[[], None], rule: bool = False
) -> dict[str, list[ValidationError]]:
    """``errors`` with what ``check`` raised. A model's own ``clean()`` or ``validate_unique()``
    that follows a key to a missing row (``DoesNotExist``) is an invalid value too."""
    try:
        check()
    except ValidationError as error:
        return (_as_model_rule(error) if rule else error).update_error_dict(errors)
    except ObjectDoesNotExist as error:
        missing = ValidationError(f"A related object does not exist: {error}", "does_not_exist")
        return missing.update_error_dict(errors)
    return errors


def _as_model_rule(error: ValidationError) -> ValidationError:
    """``clean()``'s errors without a code get ``model_rule``: a rule across fields or rows
    that no schema states (clients, and the fuzzer, can tell it from a malformed value)."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {name: [_as_model_rule(e) for e in found] for name, found in error.error_dict.items()}
        )
    if not hasattr(error, "message"):  # a list of errors
        return ValidationError([_as_model_rule(e) for e in error.error_list])
    if error.code:
        return error
    return ValidationError(error.message, "model_rule", error.params)
