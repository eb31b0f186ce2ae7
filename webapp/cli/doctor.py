"""`kinga doctor`: one line per check; exits 1 when any check fails."""

from __future__ import annotations

import logging
import sys

import click
from flask.cli import with_appcontext

from registry.cards.keys import default_keys_dir
from registry.doctor import FAIL, DoctorContext, run_checks
from registry.jobs.queue import config
from registry.settings import instance_dir
from webapp.state import state


@click.command("doctor")
@with_appcontext
def cli() -> None:
    """Check the database, migrations, Redis, workers, outbox, keys, disk and clock."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per check, no chatter
    kinga = state()
    results = run_checks(
        DoctorContext(
            engine=kinga.engine,
            kv=kinga.kv,
            redis_url=kinga.settings.redis_url,
            instance=instance_dir(),
            keys_dir=default_keys_dir(),
            queue_pending=lambda: config().huey.pending_count(),
        )
    )
    for check in results:
        click.echo(f"{check.status:4}  {check.name:12} {check.detail}")
    if any(check.status == FAIL for check in results):
        sys.exit(1)
