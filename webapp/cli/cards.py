"""`kinga cards`: issue, print and expire beneficiary cards in bulk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from registry.cards.jobs import ISSUE_CARDS, PRINT_CARDS
from registry.cards.service import expire_cards
from registry.origin import Origin
from webapp.cli.common import command_session, job_file, run_as_job

cli = AppGroup("cards", help="Beneficiary cards.")


@cli.command("issue")
@click.option("--area", "area_code", required=True, help="Area code (all areas below it too).")
@click.option("--queue", is_flag=True, help="Leave the job to `kinga worker` instead of waiting.")
def issue(area_code: str, queue: bool) -> None:
    """Issue a household card to every active household of the area that has none (a job)."""
    finished = run_as_job(ISSUE_CARDS, {"area": area_code}, queue=queue, who="kinga cards issue")
    if finished is not None:
        click.echo(f"issued {(finished.result or {}).get('issued', 0)} cards in {area_code}")


@cli.command("print")
@click.option("--area", "area_code", required=True, help="Area code (all areas below it too).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--issue-missing", is_flag=True, help="First issue cards to households without one.")
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=min(4, os.cpu_count() or 1),
    show_default=True,
    help="Processes making QR codes.",
)
@click.option("--quiet", is_flag=True, help="Accepted for older scripts; nothing is drawn.")
def print_cards(
    area_code: str, out_path: Path, issue_missing: bool, workers: int, quiet: bool
) -> None:
    """Print the active cards of an area on A4 sheets of ten, with cut marks (a job)."""
    if issue_missing:
        issue.callback(area_code, False)  # type: ignore[misc]
    params = {"area": area_code, "workers": workers}
    finished = run_as_job(PRINT_CARDS, params, queue=False, who="kinga cards print")
    assert finished is not None
    produced = job_file(finished, finished.files[0])
    shutil.copyfile(produced, out_path)
    result = finished.result or {}
    click.echo(f"wrote {result['cards']} cards on {result['pages']} pages to {out_path}")


@cli.command("expire")
def expire() -> None:
    """Mark cards past their expiry date as expired."""
    with command_session() as session:
        count = expire_cards(session, origin=Origin.cli("kinga cards expire"))
    click.echo(f"{count} cards expired")
