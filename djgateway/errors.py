"""The two error families of djgateway.

    GatewayError
    ├── ConfigurationError      a developer mistake, raised at startup (stable ``code``)
    └── ApiError                a request that cannot be served, rendered as problem+json;
                                made by bad_request() 400, unauthorized() 401 (with
                                WWW-Authenticate), forbidden() 403, not_found() 404,
                                conflict() 409, validation_failed() 422 (with field errors)
                                and service_unavailable() 503 (with Retry-After)

Configuration errors carry a stable code (``djgateway.E001`` ...) so that they can be
searched for and silenced in tests, like Django's system checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class GatewayError(Exception):
    """Base class of every error raised by djgateway."""


@dataclass(frozen=True)
class Problem:
    """One startup finding, naming the app, model and field it is about.

    Codes ``djgateway.E0xx`` stop the build; ``djgateway.W0xx`` are warnings: the gateway is
    built without the model or field (``djgateway routes`` lists them).
    """

    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return ".E" in self.code

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ConfigurationError(GatewayError):
    """The gateway cannot be built from the given models and overrides.

    ``problems`` holds every error found in one pass (like Django's system checks); ``code``
    and ``message`` are the first one's. ``warnings`` are the warnings of the same pass, so
    that ``djgateway.checks`` can report everything at once.
    """

    warnings: tuple[Problem, ...] = ()

    def __init__(self, code: str, message: str, problems: tuple[Problem, ...] = ()) -> None:
        self.problems = problems or (Problem(code, message),)
        text = "\n".join(str(problem) for problem in self.problems)
        if len(self.problems) > 1:
            text = f"{len(self.problems)} problems:\n{text}"
        super().__init__(text)
        self.code = code
        self.message = message

    @classmethod
    def of(cls, problems: tuple[Problem, ...]) -> ConfigurationError:
        first = problems[0]
        return cls(first.code, first.message, problems)


@dataclass(frozen=True)
class FieldError:
    """One problem with one input location, e.g. ``("body", "name")``."""

    loc: tuple[str | int, ...]
    message: str
    code: str


@dataclass
class ApiError(GatewayError):
    """An error that is answered with an RFC 9457 problem document."""

    status: int
    title: str
    detail: str
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    event_id: str | None = None  # the Sentry event of an unexpected error

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    @property
    def type(self) -> str:
        slug = self.title.lower().replace(" ", "-")
        return f"urn:djgateway:problem:{slug}"


def bad_request(detail: str, errors: list[FieldError] | None = None) -> ApiError:
    return ApiError(400, "Bad Request", detail, errors or [])


def unauthorized(detail: str, scheme: str = "Bearer") -> ApiError:
    challenge = f'{scheme} error="invalid_token"' if scheme == "Bearer" else scheme
    return ApiError(401, "Unauthorized", detail, headers={"WWW-Authenticate": challenge})


def forbidden(detail: str, errors: list[FieldError] | None = None) -> ApiError:
    return ApiError(403, "Forbidden", detail, errors or [])


def not_found(detail: str = "The requested resource does not exist.") -> ApiError:
    return ApiError(404, "Not Found", detail)


def conflict(detail: str, errors: list[FieldError] | None = None) -> ApiError:
    return ApiError(409, "Conflict", detail, errors or [])


def validation_failed(errors: list[FieldError], detail: str = "") -> ApiError:
    detail = detail or "The request contains invalid values."
    return ApiError(422, "Validation Failed", detail, errors)


def service_unavailable(detail: str = "The database is not available.") -> ApiError:
    return ApiError(503, "Service Unavailable", detail, headers={"Retry-After": "5"})
