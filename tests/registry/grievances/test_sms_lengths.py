"""Every SMS a complainant may receive fits two segments in every language."""

import pytest

from registry.grievances import sms
from registry.grievances.states import DECISION_LABELS, Decision
from registry.i18n import translate

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
        assert sms.sms_segments(text) <= sms.MAX_SEGMENTS, (language, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_short_decision_explanation_fits(language: str) -> None:
    for decision in Decision:
        label = translate(language, DECISION_LABELS[decision])
        sms.check_fits(
            language, sms.RESOLVED, "text", number=NUMBER, decision=label, text="Paid on 3 May."
        )


def test_segment_counting() -> None:
    assert sms.sms_segments("a" * 160) == 1
    assert sms.sms_segments("a" * 161) == 2
    assert sms.sms_segments("a" * 306) == 2 and sms.sms_segments("a" * 307) == 3
    assert sms.sms_segments("€" * 80) == 1 and sms.sms_segments("€" * 81) == 2
    assert sms.sms_segments("ب" * 70) == 1 and sms.sms_segments("ب" * 71) == 2
    assert sms.sms_segments("ب" * 134) == 2 and sms.sms_segments("ب" * 135) == 3
