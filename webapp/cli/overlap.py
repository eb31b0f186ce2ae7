"""`kinga overlap`: measure the overlap with another registry without sharing names."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from registry.audit.service import record
from registry.origin import Origin
from registry.partners.overlap import (
    OverlapError,
    compare,
    read_key,
    read_tokens,
    registry_rows,
    report_lines,
    write_tokens,
)
from webapp.cli.common import command_session

_KEY = click.option(
    "--key-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The secret key both sides agreed (at least 32 bytes).",
)


@click.group("overlap", cls=AppGroup)
def cli() -> None:
    """Overlap checks between registries, with keyed tokens instead of names."""


@cli.command("tokens")
@_KEY
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def tokens(key_file: Path, out: Path) -> None:
    """Write one keyed token per person of this registry to OUT (CSV)."""
    try:
        key = read_key(key_file)
    except OverlapError as exc:
        raise click.ClickException(str(exc)) from exc
    with command_session() as session:
        count = write_tokens(registry_rows(session), key, out)
        record(session, Origin.cli(), "overlap.tokens", details={"people": count})
    click.echo(f"wrote {count} tokens to {out}")


@cli.command("compare")
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_KEY
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def compare_(theirs: Path, key_file: Path, out: Path | None) -> None:
    """Count this registry's people and households also in THEIRS, by program and area."""
    try:
        key = read_key(key_file)
        their_tokens = read_tokens(theirs)
    except OverlapError as exc:
        raise click.ClickException(str(exc)) from exc
    import tempfile

    with command_session() as session, tempfile.TemporaryDirectory() as tmp:
        ours_path = Path(tmp) / "ours.csv"
        write_tokens(registry_rows(session), key, ours_path)
        report = compare(read_tokens(ours_path), their_tokens)
        record(
            session,
            Origin.cli(),
            "overlap.compare",
            details={"their_people": len(their_tokens), "people_in_both": report.people},
        )
    lines = report_lines(report)
    if out:
        out.write_text("\n".join(lines) + "\n")
    click.echo("\n".join(lines))
