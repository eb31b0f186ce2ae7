"""`kinga indicators refresh`: count a month's indicators again (run it nightly from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.indicators.jobs import REFRESH
from registry.indicators.periods import Period
from webapp.cli.common import run_as_job
from webapp.cli.reports import parse_period


@click.group("indicators", cls=AppGroup)
def cli() -> None:
    """Indicator snapshots the dashboards read."""


@cli.command("refresh")
@click.option("--period", default=None, callback=parse_period, help="YYYY-MM (default: now).")
@click.option("--queue", is_flag=True, help="Leave the job to `kinga worker` instead of waiting.")
def refresh(period: Period, queue: bool) -> None:
    """Count a month's indicators again and replace its snapshots (a job)."""
    job = run_as_job(REFRESH, {"period": str(period)}, queue=queue, who="indicators")
    if job is not None and job.result is not None:
        click.echo(f"{job.result['period']}: {job.result['rows']} figures (job {job.id})")
