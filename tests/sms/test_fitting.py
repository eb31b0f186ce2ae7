"""Replies are fitted to two segments as the gateway sends them (transliterated where allowed)."""

from __future__ import annotations

from registry.messaging.encoding import fit_for_sms, segments
from sms.fitting import fit_parts, fits


def test_latin_accents_are_measured_after_transliteration() -> None:
    # 200 x "ç" is five UCS-2 parts as written, but goes out as 200 x "c": two GSM-7 parts.
    text = "ç" * 200
    assert segments(text) == ("UCS-2", 3)
    assert fits(text, "pt") and fits(text, "fr")
    assert fit_parts(["Situação:", text], "pt") == f"Situação: {text}"
    assert segments(fit_for_sms(fit_parts(["Situação:", text], "pt"), "pt")) == ("GSM-7", 2)


def test_arabic_is_measured_as_ucs2_and_cut() -> None:
    text = "ب" * 200
    assert not fits(text, "ar")
    fitted = fit_parts(["الحالة:", text], "ar")
    assert fitted.endswith("...") and segments(fit_for_sms(fitted, "ar")) == ("UCS-2", 2)
    assert not fits(fitted + "ب" * 5, "ar")  # cut no more than needed


def test_whole_parts_are_kept_while_they_fit() -> None:
    parts = ["a" * 150, "b" * 150, "c" * 150]
    fitted = fit_parts(parts, "en")
    assert fitted == "a" * 150 + " " + "b" * 150 + " c..."  # 306 characters: two segments
    assert segments(fitted) == ("GSM-7", 2)
