"""Django system checks for the gateways a project serves (``manage.py check``).

The gateways are named like uvicorn apps, ``"module:attr"``, by the setting
``DJGATEWAY_GATEWAYS`` and by ``DjgatewayConfig.gateways`` (a subclass of it in
``INSTALLED_APPS``); ``attr`` is a ``Gateway`` or a factory taking no arguments that returns
one. Each gateway's plan and schemas are built (no database is touched) and every
``Problem`` of that pass becomes a ``checks.Error`` or ``checks.Warning`` with the same id,
so ``SILENCED_SYSTEM_CHECKS = ["djgateway.W003"]`` silences a warning. Ids of this module:

    djgateway.E900  a named gateway cannot be loaded (bad name, import error, factory error)
    djgateway.E901  the named object is not a Gateway, nor a factory returning one
    djgateway.E902  the gateway names an app that is not installed
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .errors import ConfigurationError, Problem
from .gateway import Gateway
from .references import UnresolvedReferenceError, call_factory, resolve

SETTING = "DJGATEWAY_GATEWAYS"
TAG = "djgateway"
LOAD_FAILED = "djgateway.E900"
NOT_A_GATEWAY = "djgateway.E901"
UNKNOWN_APP = "djgateway.E902"

# What to do about each code whose message does not say it already.
HINTS = {
    "djgateway.E001": 'Key Gateway(resources=...) by "app_label.Model" (or the model class) '
    "of a model in Gateway(apps=...).",
    "djgateway.E002": "List only names of the model's own fields (or their attnames, "
    '"company_id").',
    "djgateway.E003": "Resource(parent=...) takes the name of a ForeignKey to another exposed "
    "model; Resource(parent=None) keeps the model top-level.",
    "djgateway.E004": "Drop Resource(parent=...) from one model of the cycle.",
    "djgateway.E008": "An explicit schema may only have fields the generated one would have.",
    "djgateway.E010": "Teach djgateway the field with djgateway.register_field(...).",
    "djgateway.E011": "Name only exposed fields; the message lists the allowed names.",
    "djgateway.E013": "Name only fields of the model that are exposed.",
    "djgateway.E014": "Resource(delete_status=(field, value)) needs a field of the model.",
    "djgateway.E015": "Name the path segments of resources nested under this one.",
    "djgateway.E016": "Resource(sync_matching=...) needs fields of the model.",
    "djgateway.E020": 'Pass JWTBearer(algorithms=["HS256"], ...) and exactly one of key=, '
    "jwks= or jwks_url=.",
    "djgateway.W001": "Teach djgateway the field with djgateway.register_field(...), or "
    "silence djgateway.W001.",
    "djgateway.W005": "Clients filter on the field with its lookup spelled out; rename the "
    "field to avoid it, or silence djgateway.W005.",
    NOT_A_GATEWAY: "Name the Gateway, or a factory taking no arguments that returns it "
    "(not the FastAPI app built from it).",
    UNKNOWN_APP: "Add the app to INSTALLED_APPS, or remove it from Gateway(apps=...).",
}

# "business.Company: ..." or, for a field (W001), "business.Company.logo: ...";
# "a.X and b.Y would both use ..." (E005 / E006) names two models: the first is the obj.
_SUBJECT = re.compile(r"^(?P<label>\w+\.\w+)(?:\.(?P<field>\w+))?(?P<sep>: | and )")


class _LoadError(Exception):
    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.problem = Problem(code, message)
        self.hint = hint


def check_gateways(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every problem of every configured gateway; registered by ``DjgatewayConfig.ready``.

    With ``manage.py check some_app`` only the messages about that app's models (and those
    about no model) are kept.
    """
    found: list[checks.CheckMessage] = []
    for reference in gateway_references():
        # Two gateways over the same models would repeat the same messages: once is enough.
        found.extend(m for m in check_gateway(reference) if m not in found)
    if app_configs is None:
        return found
    wanted = {config.label for config in app_configs}
    return [message for message in found if _app_label(message.obj) in (None, *wanted)]


def gateway_references() -> list[Any]:
    """The names in ``settings.DJGATEWAY_GATEWAYS`` and ``DjgatewayConfig.gateways``, once each."""
    configured = getattr(settings, SETTING, ())
    if isinstance(configured, str):  # a lone string would be checked letter by letter
        configured = [configured]
    config = apps.app_configs.get("djgateway")
    names: list[Any] = []
    for name in [*configured, *getattr(config, "gateways", ())]:
        if name not in names:  # not a set: a wrong entry may be unhashable
            names.append(name)
    return names


def check_gateway(reference: Any) -> list[checks.CheckMessage]:
    """The messages about one ``"module:attr"`` gateway."""
    try:
        gateway = load_gateway(reference)
    except _LoadError as error:
        return [_message(error.problem, reference, error.hint)]
    except ConfigurationError as error:  # raised while importing it, e.g. by JWTBearer(...)
        return [_message(problem, reference) for problem in error.problems]
    try:
        gateway.plan  # noqa: B018 - built for its problems
        gateway.schemas  # noqa: B018 - explicit schemas are checked here (E008)
    except ConfigurationError as error:
        problems: Iterable[Problem] = (*error.problems, *error.warnings)
    except LookupError as error:  # apps.get_app_config: "No installed app with label 'x'."
        if isinstance(error, KeyError | IndexError):
            raise
        message = f"the gateway names an app that is not installed: {error}"
        problems = [Problem(UNKNOWN_APP, message)]
    else:
        problems = gateway.plan.warnings
    return [_message(problem, reference) for problem in problems]


def load_gateway(reference: Any) -> Gateway:
    """Import ``"module:attr"``, call it when it is a factory: a ``Gateway``, or ``_LoadError``."""
    if not isinstance(reference, str) or not re.fullmatch(r"[\w.]+:[\w.]+", reference):
        raise _LoadError(
            LOAD_FAILED,
            f'{SETTING} must list "module:attribute" strings, not {reference!r}',
            hint='For example "myproject.api:gateway".',
        )
    module_name, attribute = reference.split(":")
    try:
        found = resolve(module_name, attribute)
    except UnresolvedReferenceError as error:
        raise _LoadError(LOAD_FAILED, str(error)) from None
    except ConfigurationError:
        raise
    except Exception as error:  # user code: report it instead of crashing `manage.py check`
        raise _LoadError(
            LOAD_FAILED, f"importing {module_name!r} raised {type(error).__name__}: {error}"
        ) from None
    if not isinstance(found, Gateway) and callable(found):
        found = _call_factory(found, reference)
    if not isinstance(found, Gateway):
        kind = type(found).__name__
        raise _LoadError(
            NOT_A_GATEWAY, f"{reference} is not a Gateway nor a factory of one (it is {kind})"
        )
    return found


def _call_factory(factory: Any, reference: str) -> Any:
    try:
        return call_factory(factory, reference)
    except UnresolvedReferenceError as error:
        raise _LoadError(LOAD_FAILED, str(error)) from None
    except ConfigurationError:
        raise
    except Exception as error:  # user code: report it instead of crashing `manage.py check`
        raise _LoadError(
            LOAD_FAILED, f"{reference}() raised {type(error).__name__}: {error}"
        ) from None


def _message(problem: Problem, reference: Any, hint: str | None = None) -> checks.CheckMessage:
    """The Django message of ``problem``: the model (or field) it names is the ``obj``, its
    label moved out of the text as Django prints ``obj: (id) msg``; else the gateway's name."""
    kind = checks.Error if problem.is_error else checks.Warning
    obj, text = _subject(problem.message)
    return kind(
        text,
        hint=hint or HINTS.get(problem.code),
        obj=reference if obj is None else obj,
        id=problem.code,
    )


def _subject(message: str) -> tuple[Any, str]:
    match = _SUBJECT.match(message)
    if match is None:
        return None, message
    try:
        model = apps.get_model(match["label"])
    except LookupError:
        return None, message
    if match["sep"] == " and ":  # two models: keep both in the text
        return model, message
    if match["field"] is None:
        return model, message[match.end() :]
    try:
        field: Any = model._meta.get_field(match["field"])
    except FieldDoesNotExist:  # "app.Model.x" where x is no field: the model it is
        return model, message
    return field, message[match.end() :]


def _app_label(obj: Any) -> str | None:
    if isinstance(obj, type) and issubclass(obj, models.Model):
        return obj._meta.app_label
    model = getattr(obj, "model", None)  # a field
    if isinstance(model, type) and issubclass(model, models.Model):
        return model._meta.app_label
    return None
