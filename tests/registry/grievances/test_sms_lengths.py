"""Every SMS a complainant may receive fits two segments in every language."""

import pytest

from registry.errors import InvalidInput
from registry.grievances import sms
from registry.grievances.states import DECISION_LABELS, Decision
from registry.i18n import translate
from registry.messaging.encoding import segments
from registry.outbox.service import render_sms

LANGUAGES = ("en", "fr", "sw", "pt", "ar")
NUMBER = "12345674"


@pytest.mark.parametrize("language", LANGUAGES)
def test_fixed_messages_fit_two_segments(language: str) -> None:
    for msgid, params in [
        (sms.RECEIPT, {"days": 14}),
        (sms.RECEIPT_ANONYMOUS, {}),
        (sms.SURVEY, {}),
        (sms.ESCALATED, {}),
        (sms.REOPENED, {}),
        (sms.CLOSED, {}),
    ]:
        text = sms.render(language, msgid, number=NUMBER, **params)
        assert text != msgid or language == "en"
        assert text == render_sms(language, msgid, number=NUMBER, **params)  # what is sent
        assert segments(text)[1] <= sms.MAX_SEGMENTS, (language, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_short_decision_explanation_fits(language: str) -> None:
    for decision in Decision:
        label = translate(language, DECISION_LABELS[decision])
        sms.check_fits(
            language, sms.RESOLVED, "text", number=NUMBER, decision=label, text="Paid on 3 May."
        )


def test_too_long_an_explanation_is_refused_in_every_language() -> None:
    for language in LANGUAGES:
        with pytest.raises(InvalidInput):
            sms.check_fits(
                language, sms.RESOLVED, "text", number=NUMBER, decision="x", text="a" * 300
            )


def test_french_is_counted_as_sent_in_gsm7() -> None:
    # "ç" is UCS-2 as written but is sent transliterated to GSM-7 ("c"): the reply then
    # fits two GSM-7 segments (306 septets) where it would take four UCS-2 parts.
    long = "ç" * 250
    sms.check_fits("fr", sms.REPLY, "text", number=NUMBER, text=long)
    with pytest.raises(InvalidInput):
        sms.check_fits("ar", sms.REPLY, "text", number=NUMBER, text="ب" * 250)
