from __future__ import annotations

from registry.messaging.encoding import fit_for_sms, is_gsm7, segments, to_gsm7


def test_gsm7_limits() -> None:
    assert segments("a" * 160) == ("GSM-7", 1)
    assert segments("a" * 161) == ("GSM-7", 2)
    assert segments("a" * 306) == ("GSM-7", 2)
    assert segments("a" * 307) == ("GSM-7", 3)


def test_extension_characters_count_twice() -> None:
    assert segments("€" * 80) == ("GSM-7", 1)
    assert segments("€" * 81) == ("GSM-7", 2)
    assert segments("[" * 2 + "a" * 157) == ("GSM-7", 2)


def test_ucs2_limits() -> None:
    assert segments("ع" * 70) == ("UCS-2", 1)
    assert segments("ع" * 71) == ("UCS-2", 2)
    assert segments("ع" * 134) == ("UCS-2", 2)
    assert segments("ع" * 135) == ("UCS-2", 3)
    assert segments("a" * 69 + "\U0001f600") == ("UCS-2", 2)  # a surrogate pair counts twice


def test_gsm7_keeps_the_accents_it_has() -> None:
    assert is_gsm7("é è à ù ì ò Ç Ä Ö Ñ Ü ä ö ñ ü")
    assert not is_gsm7("ç")  # only the capital is in GSM-7


def test_transliteration_for_latin_languages() -> None:
    assert to_gsm7("Ça coûte 5 € – «bon» ’ ç ã õ ê") == 'Ça coute 5 € - "bon" \' c a o e'
    text = "Você está inscrito na família. Próximo pagamento: março."
    assert not is_gsm7(text)
    assert fit_for_sms(text, "pt") == "Voce esta inscrito na familia. Proximo pagamento: marco."
    assert segments(fit_for_sms(text, "pt"))[0] == "GSM-7"


def test_arabic_is_never_transliterated() -> None:
    text = "تم تسجيل أسرتك"
    assert fit_for_sms(text, "ar") == text
    assert segments(text)[0] == "UCS-2"


def test_a_character_with_no_plain_form_keeps_the_text_unchanged() -> None:
    text = "Amina 王 ã"
    assert fit_for_sms(text, "sw") == text
