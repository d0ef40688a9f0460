"""The prose of the OpenAPI document: what each operation does, its nesting and its scopes,
and one described tag per resource (named by the plan, ``naming.tag_name``)."""

from __future__ import annotations

from typing import Any

from ..plan import GatewayPlan, Operation, ResourcePlan, naming
from ..query.openapi import LIST_DESCRIPTION


def openapi_tags(plan: GatewayPlan) -> list[dict[str, Any]]:
    """The document's ``tags``: each resource's, in plan order, with a description."""
    return [{"name": r.tag, "description": tag_description(plan, r)} for r in plan]


def tag_description(plan: GatewayPlan, resource: ResourcePlan) -> str:
    """The model's own docstring, else its verbose name and the parent it is nested under."""
    written = naming.model_description(resource.model.model)
    if written:
        return written
    if resource.parent_key is None:
        plural = resource.model.verbose_name_plural
        return f"{plural[:1].upper()}{plural[1:]}."
    parent = plan.get(resource.parent_key)
    return f"{resource.tag} of {naming.with_article(parent.model.verbose_name)}."


def operation_description(resource: ResourcePlan, operation: Operation) -> str:
    """What the operation does, then its query syntax (lists), nesting and scopes."""
    parts = [_what(resource, operation)]
    if operation.action == "list":
        parts.append(LIST_DESCRIPTION)
    if resource.ancestors:
        params = ", ".join(f"`{link.param}`" for link in resource.ancestors)
        parts.append(
            f"Nested under {params}: a parent that does not exist, or that the "
            f"{resource.model.verbose_name} does not belong to, is a 404."
        )
    if operation.action in ("replace", "update", "delete") and resource.require_if_match:
        parts.append("Send `If-Match` with the `ETag` you last read (428 without it).")
    parts.append(scopes_sentence(resource, operation.action))
    return "\n\n".join(parts)


def scopes_sentence(resource: ResourcePlan, action: str) -> str:
    """Who may call an operation of ``resource`` doing ``action``."""
    security = resource.security
    if not security.secured:
        return "Open: no credentials are needed."
    required = security.required[action]
    if not required.scopes:
        return "Requires authentication."
    source = f" (inherited from {required.inherited_from})" if required.inherited_from else ""
    scopes = ", ".join(f"`{s}`" for s in required.scopes)
    return f"Requires one of the scopes{source}: {scopes}."


def _what(resource: ResourcePlan, operation: Operation) -> str:
    one, many = resource.model.verbose_name, resource.model.verbose_name_plural
    a_one = naming.with_article(one)
    related = operation.relation
    if related is not None:
        linked = related.field.name
        return {
            "list_related": f"Lists the {linked} linked to {a_one}, a page at a time.",
            "link": f"Links a row to the {linked} of {a_one} (a linked row stays linked).",
            "unlink": f"Unlinks a row from the {linked} of {a_one}.",
        }.get(operation.action, operation.summary + ".")
    if operation.action == "delete" and resource.delete_status is not None:
        field, value = resource.delete_status
        return (
            f"Deletes {a_one} by setting its `{field.name}` to `{value}`: the row stays, "
            "and reads as gone."
        )
    return {
        "list": f"Lists the {many}, a page at a time.",
        "retrieve": f"Returns {a_one}, with an `ETag` for conditional requests.",
        "create": f"Creates {a_one}; the answer's `Location` header is its URL.",
        "replace": f"Replaces {a_one}: the body is a whole {one}, required as in a create.",
        "update": f"Updates {a_one}: the fields the body names are set, the others kept.",
        "delete": f"Deletes {a_one}.",
        "aggregate": (
            f"Counts the {many}, or sums, averages, or finds the smallest or largest value of "
            "one of their fields, behind the same filters as the list; per group with "
            "`group_by`."
        ),
    }.get(operation.action, operation.summary + ".")
