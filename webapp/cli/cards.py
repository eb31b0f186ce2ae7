"""`kinga cards`: issue, print and expire beneficiary cards in bulk."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from registry.cards.faces import card_face
from registry.cards.keys import KeysUnavailable
from registry.cards.pdf import write_sheets
from registry.cards.service import active_cards_in_area, expire_cards, issue_missing_cards
from registry.origin import Origin
from registry.scope import Scope
from webapp.cards import keyring
from webapp.cli.common import command_session

cli = AppGroup("cards", help="Beneficiary cards.")


@cli.command("issue")
@click.option("--area", "area_code", required=True, help="Area code (all areas below it too).")
def issue(area_code: str) -> None:
    """Issue a household card to every active household of the area that has none."""
    try:
        with command_session() as session:
            count = issue_missing_cards(
                session,
                area_code,
                scope=Scope.unrestricted(),
                origin=Origin.cli("kinga cards issue"),
                keyring=keyring(),
            )
    except KeysUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"issued {count} cards in {area_code}")


@cli.command("print")
@click.option("--area", "area_code", required=True, help="Area code (all areas below it too).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--issue-missing", is_flag=True, help="First issue cards to households without one.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=min(4, os.cpu_count() or 1),
    show_default=True,
    help="Processes making QR codes.",
)
def print_cards(
    area_code: str, out_path: Path, issue_missing: bool, quiet: bool, workers: int
) -> None:
    """Print the active cards of an area on A4 sheets of ten, with cut marks."""
    if issue_missing:
        issue.callback(area_code)  # type: ignore[misc]
    with command_session() as session:
        cards = active_cards_in_area(session, area_code, Scope.unrestricted())
        if not cards:
            raise click.ClickException(
                f"no active cards in {area_code}; run `kinga cards issue --area {area_code}`"
            )
        faces = (card_face(card) for card in cards)
        with (
            out_path.open("wb") as out,
            tqdm(total=len(cards), unit="card", disable=quiet, desc="cards") as bar,
        ):
            count = write_sheets(faces, out, progress=bar.update, workers=workers)
    pages = -(-count // 10)
    click.echo(f"wrote {count} cards on {pages} pages to {out_path}")


@cli.command("expire")
def expire() -> None:
    """Mark cards past their expiry date as expired."""
    with command_session() as session:
        count = expire_cards(session, origin=Origin.cli("kinga cards expire"))
    click.echo(f"{count} cards expired")
