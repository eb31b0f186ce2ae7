"""Audio exists, or is made, for every prompt in every language; a program's recording wins."""

from __future__ import annotations

import wave
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.voice.fake_gateway import tone_wav
from voice.audio import AudioLibrary, prepare
from voice.prompts import PROMPTS, fixed_prompts, say
from voice.speech import digit_by_digit, spoken_amount, spoken_date
from voice.turn import Speech
from webapp.cli import main

LANGUAGES = ("en", "fr", "sw", "pt", "ar")
SAMPLES = {
    "digits": digit_by_digit("48213570"),
    "digit": 3,
    "name": "Paiement",
    "status": "Enrolled",
    "text": "Merci",
    "label": "Verified",
    "program": "Cash for Families",
    "date": "7 December 2026",
    "what": "250 Kenyan shillings",
}


def test_every_fixed_prompt_has_audio_in_every_language(voice_audio_dir: Path) -> None:
    library = AudioLibrary(voice_audio_dir, "test-secret-key")
    speech = fixed_prompts(LANGUAGES)
    fixed = [key for key, text in PROMPTS.items() if "%(" not in text]
    assert len(speech) == len(LANGUAGES) * (len(fixed) + 1)  # and one language menu line
    report = prepare(library, speech)
    assert report["missing"] == []
    for sentence in speech:
        path = library.path_of(library.name_of(sentence))
        assert path is not None
        with wave.open(str(path)) as clip:  # telephone audio: 8 kHz mono, and not empty
            assert clip.getframerate() == 8000 and clip.getnchannels() == 1
            assert clip.getnframes() > 8000 * 0.3


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_prompt_with_values_can_be_spoken(voice_audio_dir: Path, language: str) -> None:
    library = AudioLibrary(voice_audio_dir, "test-secret-key")
    for key, text in PROMPTS.items():
        if "%(" not in text:
            continue
        sentence = Speech(say(language, key, **SAMPLES), language)
        assert library.clip(sentence) is not None, key


def test_a_programs_recording_replaces_the_synthesised_prompt(tmp_path: Path) -> None:
    library = AudioLibrary(tmp_path, "test-secret-key")
    sentence = Speech(say("sw", "welcome"), "sw", "welcome")
    synthesised = library.clip(sentence)
    recorded = tmp_path / "recorded" / "sw" / "welcome.wav"
    recorded.parent.mkdir(parents=True)
    recorded.write_bytes(tone_wav(0.5))
    name = library.clip(sentence)
    assert name != synthesised
    assert library.path_of(name).read_bytes() == tone_wav(0.5)  # type: ignore[union-attr]
    report = prepare(library, [sentence])
    assert report["recorded"] == [sentence]


def test_numbers_dates_and_amounts_are_said_as_people_say_them() -> None:
    assert digit_by_digit("4821") == "4, 8, 2, 1"
    assert spoken_date(date(2026, 12, 7), "fr") == "7 décembre 2026"
    assert spoken_date(date(2026, 12, 7), "sw") == "7 Desemba 2026"
    assert spoken_amount(Decimal("1500"), "KES", "en") == "1500 Kenyan shillings"
    assert spoken_amount(Decimal("12.50"), "USD", "fr") == "12,50 dollars des États-Unis"
    assert spoken_date(date(2026, 1, 2), "ar").endswith("2026")  # Western digits for espeak


def test_clip_names_are_unguessable_and_checked(tmp_path: Path) -> None:
    library = AudioLibrary(tmp_path, "secret-one")
    other = AudioLibrary(tmp_path, "secret-two")
    sentence = Speech("Household 1, 2, 3", "en")
    assert library.name_of(sentence) != other.name_of(sentence)
    assert library.path_of("../../etc/passwd") is None
    assert library.path_of("0" * 40) is None


def test_cli_prepares_every_prompt(tmp_path: Path, voice_audio_dir: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "voice").symlink_to(voice_audio_dir)  # the clips made once for the whole run
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(instance),
        "KINGA_SECRET_KEY": "test-secret-key",
        "KINGA_REDIS_URL": "",
    }
    result = CliRunner().invoke(main, ["voice", "prompts"], env=env)
    assert result.exit_code == 0, result.output
    per_language = len(fixed_prompts(("en",)))
    for language in LANGUAGES:
        assert f"{language}: 0 recorded, {per_language} synthesised, 0 missing" in result.output


@pytest.mark.parametrize("language", ["fr", "sw", "pt", "ar"])
def test_prompts_are_spoken_in_the_callers_language(language: str) -> None:
    same_everywhere = {"program_line"}  # "%(program)s: %(status)s." has no words of its own
    for key in PROMPTS:
        if key in same_everywhere:
            continue
        assert say(language, key, **SAMPLES) != say("en", key, **SAMPLES), key
