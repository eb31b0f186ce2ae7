"""`kinga retention run`: apply the retention schedule (personal data of old records removed)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

from registry.origin import Origin
from registry.privacy.retention import RetentionPolicy, run_retention
from webapp.cli.common import command_session


@click.group("retention", cls=AppGroup)
def cli() -> None:
    """Retention schedule for personal data."""


@cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@click.option(
    "--closed-years",
    default=5,
    show_default=True,
    type=click.IntRange(1, 100),
    help="Remove personal data of households inactive for this long.",
)
@click.option("--rejected-days", default=90, show_default=True, type=click.IntRange(1, 3650))
@click.option(
    "--unverified-days",
    default=365,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Self-registrations never verified for this long count as rejected.",
)
@click.option("--message-days", default=180, show_default=True, type=click.IntRange(1, 3650))
@click.option(
    "--grievance-days",
    default=730,
    show_default=True,
    type=click.IntRange(1, 36500),
    help="Remove the words and phone of grievances closed this long ago.",
)
def run(
    dry_run: bool,
    closed_years: int,
    rejected_days: int,
    unverified_days: int,
    message_days: int,
    grievance_days: int,
) -> None:
    """Remove personal data of rejected and long-closed records; counts stay."""
    policy = RetentionPolicy(
        closed_after=timedelta(days=365 * closed_years),
        rejected_after=timedelta(days=rejected_days),
        unverified_after=timedelta(days=unverified_days),
        messages_after=timedelta(days=message_days),
        closed_grievances_after=timedelta(days=grievance_days),
    )
    with command_session() as session:
        report = run_retention(
            session, origin=Origin.cli("retention"), policy=policy, dry_run=dry_run
        )
    verb = "would remove" if dry_run else "removed"
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(report.households.items())) or "none"
    click.echo(
        f"{verb} personal data of {report.total_households} households ({rules})"
        + ("" if dry_run else f", {report.messages} messages")
        + "".join(f", {n} by {step.rsplit('.', 1)[-1]}" for step, n in report.other.items())
    )
