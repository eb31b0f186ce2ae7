"""`kinga voice prompts`: the audio of every fixed voice prompt, made ahead of the first call."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from voice.audio import prepare
from voice.callbacks import place_due, run_forever
from voice.prompts import fixed_prompts
from voice.service import audio_library
from webapp.state import state


@click.group("voice", cls=AppGroup)
def cli() -> None:
    """Voice calls."""


@cli.command("prompts")
def prompts() -> None:
    """Make (once) the audio of every fixed prompt in every language; fail if one is missing.

    A program's own recordings go in instance/voice/recorded/<language>/<key>.wav and are used
    instead of synthesised speech (keys: see docs/voice.md).
    """
    library = audio_library()
    languages = state().settings.languages
    report = prepare(library, fixed_prompts(languages))
    for language in languages:
        counts = {kind: sum(s.language == language for s in rows) for kind, rows in report.items()}
        click.echo(
            f"{language}: {counts['recorded']} recorded, {counts['synthesised']} synthesised, "
            f"{counts['missing']} missing"
        )
    if report["missing"]:
        missing = ", ".join(f"{s.language}/{s.key}" for s in report["missing"][:10])
        raise click.ClickException(
            f"no audio for {len(report['missing'])} prompt(s) ({missing}): install espeak-ng "
            "and sox (scripts/ensure-system-packages.sh) or provide recordings"
        )


@cli.command("callbacks")
@click.option("--once", is_flag=True, help="Place the queued call backs, then stop.")
def callbacks(once: bool) -> None:
    """Place the call backs queued after missed calls (through the gateway that got them)."""
    kinga = state()
    if once:
        click.echo(f"handled {place_due(kinga.sessionmaker, kinga.settings)}")
        return
    click.echo("call back worker running")
    try:
        run_forever(kinga.sessionmaker, kinga.settings)
    except KeyboardInterrupt:
        click.echo("call back worker stopped")
