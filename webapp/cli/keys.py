"""`kinga keys`: the card signing keys (rotate, list)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.cards.keys import KeysUnavailable
from webapp.cards import keyring

cli = AppGroup("keys", help="Card signing keys (Ed25519).")


@cli.command("rotate")
def rotate() -> None:
    """Make a new signing key; the old public key stays published, its private key is deleted."""
    ring = keyring()
    try:
        previous = ring.current_kid()
        kid = ring.rotate()
    except (KeysUnavailable, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"new signing key {kid} in {ring.directory}")
    if previous:
        click.echo(f"previous key {previous}: public key kept, private key deleted")


@cli.command("list")
def list_keys() -> None:
    """Show the published keys and which one signs."""
    ring = keyring()
    current = ring.current_kid()
    for kid in ring.public_keys():
        click.echo(f"{kid}  {'current' if kid == current else 'retired'}")
