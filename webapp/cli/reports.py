"""`kinga reports monthly`: the monthly report PDF of an area and program."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from registry.db import utcnow
from registry.indicators.monthly import monthly_report
from registry.indicators.periods import Period
from registry.origin import Origin
from registry.scope import Scope
from webapp.cli.common import command_session


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
    """Write the monthly report PDF (months never refreshed are counted first)."""
    with command_session() as session:
        report = monthly_report(
            session,
            Scope.unrestricted(),
            period=period,
            area_code=area_code,
            program=program,
            language=language,
            origin=Origin.cli("reports"),
        )
    out.write_bytes(report.pdf)
    click.echo(f"{out}: {len(report.pdf)} bytes, {report.area_code} {report.period}")
