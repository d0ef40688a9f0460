"""Optional Sentry reporting (the ``[sentry]`` extra, imported only when configured).

``enable_sentry(dsn)`` wires sentry-sdk's FastAPI and Django integrations. Unexpected errors
(5xx) are reported with the caller's user and tenant as tags (never their token), and the
event id is returned in the problem body, as djfapi did; 4xx answers are not reported.
"""

from __future__ import annotations

from typing import Any

from .errors import ConfigurationError
from .security import Access

_enabled = False


def enable_sentry(dsn: str | None = None, **options: Any) -> None:
    """Initialise sentry-sdk (``options`` go to ``sentry_sdk.init``, e.g. ``transport=``)."""
    global _enabled  # noqa: PLW0603 - one process-wide switch, like sentry_sdk.init itself
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
        from sentry_sdk.integrations.fastapi import FastApiIntegration
    except ImportError:
        raise ConfigurationError(
            "djgateway.E030", "Sentry needs the extra: pip install 'djgateway[sentry]'"
        ) from None
    settings: dict[str, Any] = {
        "integrations": [FastApiIntegration(), DjangoIntegration()],
        # Credentials must never reach Sentry: no frame locals, no auth headers or cookies.
        "include_local_variables": False,
        "before_send": _without_credentials,
    }
    sentry_sdk.init(dsn=dsn, **{**settings, **options})
    _enabled = True


CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-api-key"})


def _without_credentials(event: dict[str, Any], hint: Any) -> dict[str, Any]:
    request = event.get("request") or {}
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() not in CREDENTIAL_HEADERS
        }
    request.pop("cookies", None)
    return event


def tag_access(access: Access) -> None:
    """Attach the caller to events of the current request."""
    if not _enabled:
        return
    import sentry_sdk

    if access.subject is not None:
        sentry_sdk.set_user({"id": access.subject})
    if access.tenant_id is not None:
        sentry_sdk.set_tag("tenant", str(access.tenant_id))


def report_exception(exc: BaseException) -> str | None:
    """Send an unexpected error to Sentry; its event id, or None when Sentry is off."""
    if not _enabled:
        return None
    import sentry_sdk

    # The FastAPI integration may have captured it already (then deduplicated): reuse its id.
    return sentry_sdk.capture_exception(exc) or sentry_sdk.last_event_id()


def disable_sentry() -> None:
    """Stop reporting (tests; a process normally keeps Sentry for its lifetime)."""
    global _enabled  # noqa: PLW0603
    if _enabled:
        import sentry_sdk

        sentry_sdk.init(dsn=None)
    _enabled = False
