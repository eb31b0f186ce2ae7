"""`kinga i18n`: the catalogs. `check` fails CI when a catalog is stale, untranslated or fuzzy."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.cli import AppGroup

from registry.i18n import LOCALES_DIR, compile_all
from registry.settings import DEFAULT_LANGUAGES, ROOT

KEYWORDS = [
    "-k",
    "N_",
    "-k",
    "translate:2",
    "-k",
    "translate_ctx:2c,3",
    "-k",
    "translate_plural:2,3",
    "-k",
    "pgettext:1c,2",
    "-k",
    "npgettext:1c,2,3",
    "-k",
    "lazy_gettext",
    "-k",
    "_l",
]
POT = LOCALES_DIR / "messages.pot"


def _babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def _extract(target: Path) -> None:
    _babel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--project",
        "Kinga",
        "--no-wrap",
        "-o",
        str(target),
        str(ROOT),
    )


@click.group("i18n", cls=AppGroup)
def cli() -> None:
    """Translation catalogs."""


@cli.command("extract")
def extract() -> None:
    """Write locales/messages.pot from the source."""
    _extract(POT)
    click.echo(f"wrote {POT.relative_to(ROOT)}")


@cli.command("update")
def update() -> None:
    """Extract, then merge new messages into every language's catalog."""
    _extract(POT)
    for language in DEFAULT_LANGUAGES:
        po = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _babel(
                "update",
                "-i",
                str(POT),
                "-d",
                str(LOCALES_DIR),
                "-l",
                language,
                "--no-wrap",
                "--ignore-obsolete",
            )
        else:
            _babel("init", "-i", str(POT), "-d", str(LOCALES_DIR), "-l", language, "--no-wrap")
    click.echo("catalogs updated")


@cli.command("compile")
def compile_command() -> None:
    """Build the .mo files (never committed)."""
    paths = compile_all(force=True)
    click.echo(f"compiled {len(paths)} catalogs")


def catalog_problems() -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        _extract(fresh)
        with fresh.open("rb") as handle:
            wanted = {
                (m.context, m.id if isinstance(m.id, str) else m.id[0])
                for m in read_po(handle)
                if m.id
            }
    if not POT.exists():
        return ["locales/messages.pot is missing: run `kinga i18n update`"]
    with POT.open("rb") as handle:
        committed = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id
        }
    if wanted != committed:
        missing = sorted(wanted - committed, key=str)[:5]
        extra = sorted(committed - wanted, key=str)[:5]
        problems.append(
            f"messages.pot is stale (new: {missing}, gone: {extra}); run `kinga i18n update`"
        )
    for language in DEFAULT_LANGUAGES:
        po = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            problems.append(f"{language}: catalog missing")
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        have = {}
        for message in catalog:
            if not message.id:
                continue
            key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
            have[key] = message
        for key in sorted(wanted, key=str):
            message = have.get(key)
            if message is None:
                problems.append(f"{language}: missing {key[1]!r}")
            elif message.fuzzy:
                problems.append(f"{language}: fuzzy {key[1]!r}")
            elif not (message.string if isinstance(message.string, str) else all(message.string)):
                problems.append(f"{language}: untranslated {key[1]!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{language}: {message.id!r}: {error}")
    return problems


@cli.command("check")
def check() -> None:
    """Fail when the template is stale or a catalog has missing, untranslated or fuzzy entries."""
    problems = catalog_problems()
    for problem in problems[:40]:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} catalog problem(s)")
    click.echo("catalogs complete")
