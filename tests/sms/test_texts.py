"""Every SMS Kinga sends fits two segments, in every language, with sample values filled in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from registry.i18n import translations
from registry.messaging.encoding import fit_for_sms, segments
from registry.settings import DEFAULT_LANGUAGES
from sms import texts
from sms.keywords import Command, keyword_for

ROOT = Path(__file__).resolve().parent.parent.parent
SMS_TEXTS = [
    value
    for name, value in vars(texts).items()
    if name.isupper() and isinstance(value, str) and name != "SAMPLES"
]
GENERIC_SAMPLE = "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxx"  # 30 characters, for a value with no sample


def _queued_templates() -> list[str]:
    """Every msgid handed to `queue_sms(..., msgid=...)` anywhere in the code."""
    found = []
    for path in ROOT.glob("**/*.py"):
        if any(part in {".venv", "tests", "node_modules"} for part in path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "queue_sms":
                for keyword in node.keywords:
                    if keyword.arg == "msgid":
                        value = keyword.value
                        if isinstance(value, ast.Call) and value.args:  # N_("...")
                            value = value.args[0]
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            found.append(value.value)
    return found


class _Samples(dict):  # type: ignore[type-arg]
    def __init__(self, language: str, msgid: str) -> None:
        words = {command.value: keyword_for(command, language) for command in Command}
        super().__init__({**words, **texts.SAMPLES.get(msgid, {})})

    def __missing__(self, key: str) -> str:
        return GENERIC_SAMPLE


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
@pytest.mark.parametrize("msgid", SMS_TEXTS + _queued_templates())
def test_template_fits_two_segments(language: str, msgid: str) -> None:
    text = translations(language).ugettext(msgid) % _Samples(language, msgid)
    sent = fit_for_sms(text, language)
    encoding, count = segments(sent)
    assert count <= 2, f"{language} {encoding} {count} segments: {sent}"


def test_the_check_finds_the_registration_receipt() -> None:
    assert "Kinga: household %(number)s is registered. Keep this number." in _queued_templates()


def test_latin_languages_go_out_as_gsm7() -> None:
    for language in ("en", "fr", "sw", "pt"):
        text = translations(language).ugettext(texts.OPTED_OUT) % _Samples(language, "")
        assert segments(fit_for_sms(text, language))[0] == "GSM-7", language
