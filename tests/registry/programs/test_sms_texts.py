"""Enrollment SMS fit in two segments in every language, with the longest program name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from registry.messaging.encoding import fit_for_sms
from registry.outbox.service import render_sms
from registry.programs.enrollment import SMS_TEXTS
from registry.settings import DEFAULT_LANGUAGES

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")
PROGRAM_FILES = sorted((Path(__file__).resolve().parents[3] / "docs" / "programs").glob("*.yaml"))


def two_segments(text: str) -> bool:
    if all(ch in GSM7 or ch in GSM7_EXTENDED for ch in text):
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text) <= 2 * 153
    return len(text.encode("utf-16-le")) // 2 <= 2 * 67


def longest_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for path in PROGRAM_FILES:
        for language, name in yaml.safe_load(path.read_text())["names"].items():
            if len(name) > len(names.get(language, "")):
                names[language] = name
    return names


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
@pytest.mark.parametrize("status", list(SMS_TEXTS))
def test_enrollment_sms_fit_two_segments(language: str, status: str) -> None:
    name = longest_names()[language]
    text = render_sms(language, SMS_TEXTS[status], number="123456789", program=name)
    # Latin-script texts go out in GSM-7: accents outside it become plain letters (issue 6).
    assert "123456789" in text and fit_for_sms(name, language) in text
    assert two_segments(text), (language, len(text), text)
    if language != "en":
        assert text != render_sms("en", SMS_TEXTS[status], number="123456789", program=name)


def test_gsm_counting_is_not_trivially_true() -> None:
    assert not two_segments("ع" * 135)
    assert two_segments("ع" * 134)
    assert not two_segments("a" * 307)
