"""Django exceptions → ``ApiError`` (never leaking SQL or internals)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from sqlite3 import SQLITE_BUSY

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError

from ..errors import FieldError, conflict, service_unavailable, validation_failed

# SQLite's answer when the write lock stayed busy for the whole busy timeout.
BUSY_DETAIL = "The database is busy with other writes; retry shortly."

UNIQUENESS_CODES = frozenset(
    {"unique", "unique_together", "unique_for_date", "unique_for_month", "unique_for_year"}
)


def validation_error(
    exc: ValidationError, keys: Mapping[str, str], writable: Collection[str]
) -> Exception:
    """422 with one entry per field, or 409 when every problem is a uniqueness conflict.

    ``keys`` maps model field names to body keys; a multi-field uniqueness error is placed on
    the last of its fields the client could write (``name`` of ``(company, name)``).
    """
    errors: list[FieldError] = []
    for name, field_errors in exc.error_dict.items():
        for error in field_errors:
            loc = _location(name, error, keys, writable)
            code = _code(error)
            for message in error.messages:
                errors.append(FieldError(loc, message, code))
    if errors and all(e.code in UNIQUENESS_CODES for e in errors):
        return conflict("A record with these values already exists.", errors)
    return validation_failed(errors)


def _code(error: ValidationError) -> str:
    # ForeignKey.validate() calls an id without a row "invalid"; say what it is, as for m2m ids.
    if error.code == "invalid" and {"model", "pk", "field"} <= (error.params or {}).keys():
        return "does_not_exist"
    return error.code or "invalid"


def _location(
    name: str, error: ValidationError, keys: Mapping[str, str], writable: Collection[str]
) -> tuple[str, ...]:
    if name != NON_FIELD_ERRORS:
        return ("body", keys.get(name, name))
    params = error.params or {}
    fields = [f for f in params.get("unique_check", ()) if f in writable]
    return ("body", keys.get(fields[-1], fields[-1])) if fields else ("body",)


@contextmanager
def database_errors() -> Iterator[None]:
    try:
        yield
    except (ProtectedError, RestrictedError) as exc:
        referrers = sorted({type(obj)._meta.label for obj in exc.args[1]})
        raise conflict(f"The record is still referred to by: {', '.join(referrers)}.") from None
    except IntegrityError:
        raise conflict("The change conflicts with existing data.") from None
    except DataError:
        raise validation_failed([], "A value does not fit the database column.") from None
    except (OperationalError, InterfaceError) as exc:
        # Still locked after the busy timeout: the same 503 and Retry-After, saying why.
        raise (service_unavailable(BUSY_DETAIL) if _busy(exc) else service_unavailable()) from None


def _busy(exc: Exception) -> bool:
    """SQLITE_BUSY ("database is locked", any extended code) from the driver below Django."""
    code = getattr(exc.__cause__, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == SQLITE_BUSY
