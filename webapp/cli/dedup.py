"""`kinga dedup`: duplicate detection on files and on the registry."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from registry.errors import DomainError
from registry.i18n import translate
from registry.matching.files import link_files, write_pairs


@click.group("dedup", cls=AppGroup)
def cli() -> None:
    """Duplicate detection (record linkage)."""


@cli.command("link")
@click.argument("first", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "second", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id-column", default="rec_id", show_default=True)
def link(first: Path, second: Path | None, out: Path, id_column: str) -> None:
    """Find the same people in one CSV file (or across two); writes id_a,id_b,score.

    Reads Kinga's column names or FEBRL's; the registry is not touched."""
    try:
        pairs, model = link_files(first, second, id_column=id_column)
    except DomainError as exc:
        raise click.ClickException(translate("en", exc.msgid, **exc.params)) from exc
    write_pairs(out, pairs)
    trained = model.trained_on.get("label") or "?"
    click.echo(f"{len(pairs)} pair(s) judged a match written to {out} (model: {trained})")


@cli.command("run")
@click.option("--area", "area_code", default=None, help="Only this area and the areas under it.")
@click.option("--queue", is_flag=True, help="Leave it to `kinga worker` instead of waiting.")
def run(area_code: str | None, queue: bool) -> None:
    """Train the model on the registry, find likely duplicates, fill the review queue (a job)."""
    from registry.matching.jobs import DEDUP_RUN
    from webapp.cli.common import run_as_job

    finished = run_as_job(DEDUP_RUN, {"area": area_code}, queue=queue, who="dedup run")
    if finished is not None:
        result = finished.result or {}
        click.echo(
            f"job {finished.id}: {result.get('people', 0)} people compared, "
            f"{result.get('found', 0)} likely duplicate pair(s), "
            f"{result.get('added', 0)} new in the review queue"
        )
