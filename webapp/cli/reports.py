"""`kinga reports monthly`: the monthly report PDF of an area and program, made by a job."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from registry.db import utcnow
from registry.indicators.jobs import MONTHLY
from registry.indicators.periods import Period
from webapp.cli.common import job_file, run_as_job


def parse_period(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Period:
    if value is None:
        return Period.of(utcnow())
    try:
        return Period.parse(value)
    except Exception as exc:
        raise click.BadParameter("give the month as YYYY-MM, e.g. 2026-11") from exc


@click.group("reports", cls=AppGroup)
def cli() -> None:
    """Reports made from the indicator snapshots."""


@cli.command("monthly")
@click.option("--period", required=True, callback=parse_period, help="The month, YYYY-MM.")
@click.option("--area", "area_code", default=None, help="Area code (default: the country).")
@click.option("--program", default=None, help="Program code (default: all programs).")
@click.option(
    "--language",
    default="en",
    show_default=True,
    type=click.Choice(["en", "fr", "sw", "pt", "ar"]),
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def monthly(
    period: Period, area_code: str | None, program: str | None, language: str, out: Path
) -> None:
    """Write the monthly report PDF (months never counted are counted first)."""
    params = {"period": str(period), "area": area_code, "program": program, "language": language}
    job = run_as_job(MONTHLY, params, queue=False, who="reports")
    assert job is not None and job.result is not None
    shutil.copyfile(job_file(job, job.result["file"]), out)
    click.echo(f"{out}: {out.stat().st_size} bytes, {job.result['area']} {period} (job {job.id})")
