from __future__ import annotations

import click
from flask.cli import AppGroup

from sms.providers import make_provider
from sms.worker import run_forever, send_batch
from webapp.state import state


@click.group("sms", cls=AppGroup)
def cli() -> None:
    """Outbound SMS."""


@cli.command("worker")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
def worker(once: bool) -> None:
    """Send queued outbox messages through the configured provider."""
    kinga = state()
    provider = make_provider(kinga.settings)
    if once:
        click.echo(f"sent {send_batch(kinga.sessionmaker, provider, limit=1000)}")
        return
    click.echo(f"outbox worker running with provider {provider.name}")
    try:
        run_forever(kinga.sessionmaker, provider)
    except KeyboardInterrupt:
        click.echo("outbox worker stopped")
