"""``djgateway token``: mint a development bearer token for the sandbox's business app."""

from __future__ import annotations

from typing import Annotated

import typer

ADMIN_SCOPES = [
    "business.companies.read.any",
    "business.companies.create",
    "business.companies.update.any",
    "business.companies.delete.any",
]


def token(
    sub: Annotated[str, typer.Option(help="Subject (an employee user_id for '.own' scopes).")] = (
        "admin"
    ),
    tenant: Annotated[
        str, typer.Option(help="Tenant id (the demo data's tenant A by default).")
    ] = "aaaaaaaa-0000-4000-8000-000000000001",
    scope: Annotated[
        list[str] | None,
        typer.Option(help="A scope to grant; repeat it. Default: every '.any' company scope."),
    ] = None,
    expires_in: Annotated[int, typer.Option(min=1, help="Lifetime in seconds.")] = 3600,
) -> None:
    """Print a token for the sandbox (signed with its public development key).

    Paste it into Swagger UI's Authorize dialog at /docs, or send it as
    `Authorization: Bearer <token>`.
    """
    from djgateway.sandbox.gateway import SANDBOX_TOKENS

    claims = {"sub": sub, "ten": tenant, "scope": " ".join(scope or ADMIN_SCOPES)}
    typer.echo(SANDBOX_TOKENS.mint(claims, expires_in=expires_in))
