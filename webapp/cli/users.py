from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.origin import Origin
from registry.users.roles import Role
from registry.users.service import create_user
from webapp.cli.common import command_session


@click.group("users", cls=AppGroup)
def cli() -> None:
    """User accounts."""


@cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True, help="Full name shown in the desks.")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role])
)
@click.option("--area", "areas", multiple=True, required=True, help="Area code (repeatable).")
@click.option("--language", default="en", show_default=True)
@click.password_option(prompt="Password")
def create(
    username: str,
    full_name: str,
    roles: tuple[str, ...],
    areas: tuple[str, ...],
    language: str,
    password: str,
) -> None:
    """Create a user with roles and areas."""
    with command_session() as session:
        user = create_user(
            session,
            Origin.cli(),
            username=username,
            full_name=full_name,
            password=password,
            roles=set(roles),
            area_codes=list(areas),
            language=language,
        )
    click.echo(f"created user {user.username}")
