"""Custom endpoints (``Gateway.action``) resolved against the plan: path, operationId, scopes,
what the function takes and what it returns. Found in one pass, raised together:

    djgateway.E017  the action's path or operationId is taken: a child's or a sub-collection's
                    path segment, a generated operation, another action
    djgateway.E018  the action cannot be served as declared: no such resource, a bad name or
                    method, scopes that would not be checked, a parameter the gateway cannot
                    supply, a return type it cannot document, an ``async def``
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.db import models
from pydantic import BaseModel

from ..actions import ActionTarget, ResourceAction
from ..errors import ConfigurationError
from ..security import Access, RequiredScopes, inherited
from . import naming
from .problems import Problems
from .types import GatewayPlan, ResourcePlan

NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*\Z")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SCOPE_METHODS = ("get", "list", "aggregate", "post", "put", "patch", "delete")
Role = Literal["object", "body", "access", "parent"]


@dataclass(frozen=True)
class ActionParameter:
    """One parameter of the function and what the gateway passes to it."""

    name: str
    role: Role
    resource_key: str | None = None  # the ancestor a "parent" parameter receives


@dataclass(frozen=True)
class ActionResult:
    """What the function returns: an instance of the resource's model (answered with its read
    schema), a pydantic model (as is), ``None`` (204); several when the annotation is a union."""

    model: bool = False
    schema: type[BaseModel] | None = None
    nothing: bool = False


@dataclass(frozen=True)
class ActionPlan:
    resource_key: str
    name: str
    on: ActionTarget
    method: str
    path: str  # "/companies/{company_id}/archive", "/companies:import"
    operation_id: str  # "archive_companies", like the generated "update_companies"
    summary: str
    description: str  # the docstring after its first paragraph
    required: RequiredScopes
    scopes_of: str | None  # the generated method whose scopes apply (None: explicit ones)
    parameters: tuple[ActionParameter, ...]
    body: type[BaseModel] | None
    result: ActionResult
    function: Callable[..., Any] = field(compare=False, repr=False)

    @property
    def writes(self) -> bool:
        """Run in a transaction, the object (of an item action) locked like an update's."""
        return self.method != "GET"

    @property
    def status_code(self) -> int:
        return 200 if self.result.model or self.result.schema else 204

    @property
    def function_name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


def with_actions(plan: GatewayPlan, declarations: Sequence[ResourceAction]) -> GatewayPlan:
    """``plan`` with the actions resolved, or one ``ConfigurationError`` naming every problem."""
    if not declarations:
        return plan
    problems = Problems(list(plan.warnings))
    planned: list[ActionPlan] = []
    for declaration in declarations:
        with problems.collecting():
            planned.append(plan_action(plan, declaration))
    check_action_paths(plan, planned, problems)
    problems.raise_errors()
    return replace(plan, actions=tuple(planned))


def plan_action(plan: GatewayPlan, declaration: ResourceAction) -> ActionPlan:
    try:
        resource = plan.get(declaration.model)
    except KeyError:
        raise _invalid(
            f"action {declaration.name!r}: {declaration.model!r} is no exposed resource"
        ) from None
    where = f"{resource.label}: action {declaration.name!r}"
    _check_declaration(declaration, where)
    if declaration.on == "item":
        path = f"{resource.item_path}/{declaration.name}"
    else:
        path = f"{resource.collection_path}:{declaration.name}"
    hints = _hints(declaration.function, where)
    parameters = action_parameters(plan, resource, declaration, hints, where)
    body = next((hints[p.name] for p in parameters if p.role == "body"), None)
    if body is not None and declaration.method == "GET":
        raise _invalid(f"{where}: a GET action takes no body")
    summary, description = _docs(declaration, resource)
    return ActionPlan(
        resource_key=resource.key,
        name=declaration.name,
        on=declaration.on,
        method=declaration.method,
        path=path,
        operation_id=f"{naming.identifier(declaration.name)}_{naming.identifier(resource.key)}",
        summary=summary,
        description=description,
        required=_required(resource, declaration, where),
        scopes_of=declaration.borrowed_scopes,
        parameters=parameters,
        body=body,
        result=action_result(resource, hints, where),
        function=declaration.function,
    )


def check_action_paths(
    plan: GatewayPlan, actions: Iterable[ActionPlan], problems: Problems
) -> None:
    """E017 for a path under which a generated route lies (a child's segment, a many-to-many
    sub-collection, ``:aggregate``), or an operationId taken (by a generated operation, or by
    another action of the same name on the same resource)."""
    generated = [(op, resource) for resource in plan for op in resource.operations]
    operation_ids = {op.operation_id: f"{r.label}'s {op.action} route" for op, r in generated}
    for action in actions:
        where = f"{plan.get(action.resource_key).label}: action {action.name!r}"
        under = [
            op.path
            for op, _ in generated
            if op.path == action.path or op.path.startswith((f"{action.path}/", f"{action.path}:"))
        ]
        if under:
            problems.add(
                "djgateway.E017",
                f"{where}: its path {action.path} is taken by the generated route {under[0]}; "
                "rename the action",
            )
        owner = operation_ids.get(action.operation_id)
        if owner is not None:
            problems.add(
                "djgateway.E017",
                f"{where}: its operationId {action.operation_id!r} is taken by {owner}; "
                "rename the action",
            )
        operation_ids[action.operation_id] = f"the action {action.function_name}"


def action_parameters(
    plan: GatewayPlan,
    resource: ResourcePlan,
    declaration: ResourceAction,
    hints: dict[str, Any],
    where: str,
) -> tuple[ActionParameter, ...]:
    """What each parameter receives, by annotation, else by name (``access``, the object's
    ``singular``, a parent's ``singular``)."""
    if inspect.iscoroutinefunction(declaration.function):
        raise _invalid(f"{where}: must be a plain def (it runs in the worker thread, with the ORM)")
    ancestors = [plan.get(link.resource_key) for link in resource.ancestors]
    parameters = []
    for parameter in inspect.signature(declaration.function).parameters.values():
        if parameter.kind not in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            raise _invalid(f"{where}: parameter {parameter.name!r} must be passable by name")
        found = _parameter(parameter.name, hints.get(parameter.name), resource, ancestors)
        if found is None or (found.role == "object" and declaration.on == "collection"):
            parents = ", ".join(f"{a.model.object_name} or {a.singular!r}" for a in ancestors)
            own = f"{resource.model.object_name} or {resource.singular!r}, "
            raise _invalid(
                f"{where}: cannot supply its parameter {parameter.name!r}; a parameter takes "
                f"{own if declaration.on == 'item' else ''}a pydantic body model, the Access "
                f"('access') or a parent object ({parents or 'none'})"
            )
        parameters.append(found)
    if sum(p.role == "body" for p in parameters) > 1:
        raise _invalid(f"{where}: takes one pydantic body model at most")
    return tuple(parameters)


def action_result(resource: ResourcePlan, hints: dict[str, Any], where: str) -> ActionResult:
    if "return" not in hints:
        raise _invalid(
            f"{where}: annotate what it returns: {resource.model.object_name} (answered with "
            "its read schema), a pydantic model, None (204), or a union of them"
        )
    returned = hints["return"]
    union = typing.get_origin(returned) in (typing.Union, types.UnionType)
    result = ActionResult()
    for option in typing.get_args(returned) if union else (returned,):
        if option is None or option is type(None):
            result = replace(result, nothing=True)
        elif _is_model(option, resource):
            result = replace(result, model=True)
        elif _is_schema(option) and result.schema is None:
            result = replace(result, schema=option)
        else:
            raise _invalid(f"{where}: cannot document the return type {option!r}")
    return result


def _check_declaration(declaration: ResourceAction, where: str) -> None:
    if not NAME.match(declaration.name):
        raise _invalid(f"{where}: a name is lower case letters and digits, joined by - or _")
    if declaration.method not in METHODS:
        raise _invalid(f"{where}: method {declaration.method!r} is not one of {list(METHODS)}")
    if declaration.on not in ("item", "collection"):
        raise _invalid(f"{where}: on={declaration.on!r}, not 'item' or 'collection'")


def _required(resource: ResourcePlan, declaration: ResourceAction, where: str) -> RequiredScopes:
    if declaration.scopes is not None:
        if declaration.scopes_of is not None:
            raise _invalid(f"{where}: give scopes_of or scopes, not both")
        if not resource.security.secured:
            raise _invalid(f"{where}: scopes on an open resource would never be checked")
        return RequiredScopes(tuple(declaration.scopes))
    method = declaration.borrowed_scopes
    if method not in SCOPE_METHODS:
        raise _invalid(f"{where}: scopes_of={method!r} is not one of {list(SCOPE_METHODS)}")
    return inherited(method, resource.security.scope_chain)


def _parameter(
    name: str, annotation: Any, resource: ResourcePlan, ancestors: list[ResourcePlan]
) -> ActionParameter | None:
    unannotated = annotation is None
    if annotation is Access or (unannotated and name == "access"):
        return ActionParameter(name, "access")
    if _is_model(annotation, resource) or (unannotated and name == resource.singular):
        return ActionParameter(name, "object")
    for ancestor in ancestors:
        if _is_model(annotation, ancestor) or (unannotated and name == ancestor.singular):
            return ActionParameter(name, "parent", ancestor.key)
    if _is_schema(annotation):
        return ActionParameter(name, "body")
    return None


def _is_model(annotation: Any, resource: ResourcePlan) -> bool:
    return (
        isinstance(annotation, type)
        and issubclass(annotation, models.Model)
        and issubclass(resource.model.model, annotation)
    )


def _is_schema(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _hints(function: Callable[..., Any], where: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(function)
    except Exception as exc:  # a name the annotations use that the module does not define
        raise _invalid(f"{where}: cannot read its annotations ({exc})") from None


def _docs(declaration: ResourceAction, resource: ResourcePlan) -> tuple[str, str]:
    """The docstring's first paragraph as the summary, the rest as the description."""
    first, _, rest = (inspect.getdoc(declaration.function) or "").partition("\n\n")
    summary = " ".join(first.split()).removesuffix(".")  # as the generated: "Create a company"
    if not summary:
        words = re.sub(r"[-_]", " ", declaration.name).capitalize()
        info = resource.model
        what = info.verbose_name if declaration.on == "item" else info.verbose_name_plural
        summary = f"{words} ({what})"
    return summary, rest.strip()


def _invalid(message: str) -> ConfigurationError:
    return ConfigurationError("djgateway.E018", message)
