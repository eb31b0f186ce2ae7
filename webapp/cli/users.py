"""`kinga users list|create|disable|enable|reset-password|set-roles`: the administrator's acts
from the command line, through the same services (and audit) as `/admin/users`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.origin import Origin
from registry.scope import Scope
from registry.users import admin
from registry.users.roles import Role
from webapp.cli.common import command_session

ROLE_CHOICE = click.Choice([r.value for r in Role])


@click.group("users", cls=AppGroup)
def cli() -> None:
    """User accounts."""


def _origin() -> Origin:
    return Origin.cli()


@cli.command("list")
def list_users() -> None:
    """List accounts: user name, state, roles, areas, full name."""
    with command_session() as session:
        for user in admin.list_users(session, Scope.unrestricted()):
            if not user.active:
                state = "disabled"
            elif user.must_change_password:
                state = "new-password-due"
            else:
                state = "active"
            roles = ",".join(sorted(user.roles))
            areas = ",".join(sorted(a.code for a in user.areas))
            click.echo(f"{user.username}\t{state}\t{roles}\t{areas}\t{user.full_name}")


@cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True, help="Full name shown in the desks.")
@click.option("--role", "roles", multiple=True, required=True, type=ROLE_CHOICE)
@click.option("--area", "areas", multiple=True, required=True, help="Area code (repeatable).")
@click.option("--language", default="en", show_default=True)
@click.option(
    "--one-time-password",
    is_flag=True,
    help="Generate a one-time password (printed once); the user chooses theirs at first login.",
)
@click.password_option(prompt="Password", prompt_required=False, default=None)
def create(
    username: str,
    full_name: str,
    roles: tuple[str, ...],
    areas: tuple[str, ...],
    language: str,
    one_time_password: bool,
    password: str | None,
) -> None:
    """Create a user with roles and areas."""
    if not one_time_password and not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with command_session() as session:
        user, given = admin.create_account(
            session,
            _origin(),
            Scope.unrestricted(),
            username=username,
            full_name=full_name,
            roles=set(roles),
            area_codes=list(areas),
            language=language,
            password=None if one_time_password else password,
        )
        name = user.username
    click.echo(f"created user {name}")
    if given:
        click.echo(f"one-time password (shown once): {given}")


@cli.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable an account; its sessions end at once."""
    with command_session() as session:
        user = admin.get_user(session, Scope.unrestricted(), username=username)
        admin.disable_user(session, _origin(), user)
    click.echo(f"disabled {username}; its sessions have ended")


@cli.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable a disabled account again."""
    with command_session() as session:
        user = admin.get_user(session, Scope.unrestricted(), username=username)
        admin.enable_user(session, _origin(), user)
    click.echo(f"enabled {username}")


@cli.command("reset-password")
@click.argument("username")
def reset_password(username: str) -> None:
    """Give an account a one-time password (printed once); the user must choose a new one."""
    with command_session() as session:
        user = admin.get_user(session, Scope.unrestricted(), username=username)
        password = admin.reset_password(session, _origin(), user)
    click.echo(f"one-time password for {username} (shown once): {password}")


@cli.command("set-roles")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=ROLE_CHOICE)
@click.option("--area", "areas", multiple=True, required=True, help="Area code (repeatable).")
def set_roles(username: str, roles: tuple[str, ...], areas: tuple[str, ...]) -> None:
    """Replace an account's roles and areas."""
    with command_session() as session:
        user = admin.get_user(session, Scope.unrestricted(), username=username)
        admin.set_roles_and_areas(
            session, _origin(), Scope.unrestricted(), user, roles=set(roles), area_codes=list(areas)
        )
    click.echo(f"{username}: roles {','.join(sorted(roles))}; areas {','.join(sorted(areas))}")
