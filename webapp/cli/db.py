"""`kinga db upgrade|check|downgrade`: the schema goes forward only."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from registry.migrate import DowngradeRefused, refuse_downgrade, schema_status, upgrade
from webapp.state import state


@click.group("db", cls=AppGroup)
def cli() -> None:
    """Database schema."""


def _unreachable(exc: OperationalError) -> click.ClickException:
    return click.ClickException(
        f"database unreachable ({type(exc.orig).__name__}); check KINGA_DATABASE_URL"
    )


@cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_command(revision: str) -> None:
    """Create or migrate the database to the latest schema (safe to run on every start)."""
    try:
        before = schema_status(state().engine)
        upgrade(state().engine, revision)
        after = schema_status(state().engine)
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    except DowngradeRefused as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(2)
    applied = len(before.pending) - len(after.pending)
    done = f"{applied} migration(s) applied" if applied else "nothing to do"
    click.echo(f"database at {', '.join(after.current)} ({done})")


@cli.command("check")
def check_command() -> None:
    """Say whether the database is behind this code (exit 1), ahead of it (2) or current (0)."""
    try:
        status = schema_status(state().engine)
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    if status.unknown:
        click.echo(
            f"ahead: the database is at {', '.join(status.unknown)}, unknown to this version "
            "(a newer Kinga migrated it); do not run this version against it"
        )
        sys.exit(2)
    if status.empty:
        click.echo("empty: no schema yet; run `kinga db upgrade`")
        sys.exit(1)
    if status.pending:
        click.echo(
            f"behind: {len(status.pending)} migration(s) to apply ({', '.join(status.pending)}); "
            "run `kinga db upgrade`"
        )
        sys.exit(1)
    click.echo(f"up to date: {', '.join(status.current)}")


@cli.command("downgrade")
@click.argument("revision", required=False)
def downgrade_command(revision: str | None) -> None:
    """Refused: Kinga never downgrades a database (restore a backup instead)."""
    try:
        refuse_downgrade()
    except DowngradeRefused as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(2)
