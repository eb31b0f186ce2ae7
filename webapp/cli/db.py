from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from registry.migrate import upgrade
from webapp.state import state


@click.group("db", cls=AppGroup)
def cli() -> None:
    """Database schema."""


@cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_command(revision: str) -> None:
    """Create or migrate the database to the latest schema."""
    try:
        upgrade(state().engine, revision)
    except OperationalError as exc:
        raise click.ClickException(
            f"cannot migrate: {type(exc.orig).__name__}; check KINGA_DATABASE_URL"
        ) from exc
    click.echo(f"database at {revision}")
