from __future__ import annotations

import click
from flask.cli import AppGroup

from sms.providers import ProviderNotConfigured, make_provider
from sms.worker import OutboxWorker
from webapp.state import state


@click.group("sms", cls=AppGroup)
def cli() -> None:
    """Outbound SMS."""


@cli.command("worker")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option("--batch", default=200, show_default=True, help="Messages claimed at a time.")
@click.option("--threads", default=8, show_default=True, help="Sends in flight at a time.")
def worker(once: bool, batch: int, threads: int) -> None:
    """Send queued outbox messages through the configured provider."""
    kinga = state()
    try:
        provider = make_provider(kinga.settings)
    except ProviderNotConfigured as exc:
        raise click.ClickException(str(exc)) from None
    outbox = OutboxWorker(kinga.sessionmaker, provider, batch_size=batch, concurrency=threads)
    try:
        if once:
            outbox.recover()
            total = 0
            while count := outbox.send_batch():
                total += count
            click.echo(f"handled {total}")
            return
        click.echo(f"outbox worker running with provider {provider.name}")
        outbox.run_forever()
    except KeyboardInterrupt:
        click.echo("outbox worker stopped")
    finally:
        outbox.close()
