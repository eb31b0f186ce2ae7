"""Keywords by first word in every language; HELP, LANGUAGE, STOP and START end to end."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.messaging.models import SmsContact
from registry.messaging.optout import is_opted_out
from registry.origin import Origin
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.outbox.service import queue_sms
from sms.keywords import KEYWORDS, Command, fold, parse
from sms.providers.memory import MemoryProvider
from sms.worker import drain
from tests.sms.conftest import PHONE, SmsActions, twiml_text

ALL_WORDS = [
    (command, language, word)
    for command, by_language in KEYWORDS.items()
    for language, words in by_language.items()
    for word in words
]


def _strip_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


@pytest.mark.parametrize(("command", "language", "word"), ALL_WORDS)
def test_every_keyword_is_recognized_in_any_case_and_without_accents(
    command: Command, language: str, word: str
) -> None:
    for variant in (word, word.lower(), word.capitalize(), _strip_accents(word).lower()):
        parsed = parse(f"  {variant}   some words after ")
        assert (parsed.command, parsed.language) == (command, language), variant
        assert parsed.rest == "some words after"


def test_every_command_has_a_word_in_every_language() -> None:
    for command in Command:
        assert set(KEYWORDS[command]) == {"en", "fr", "sw", "pt", "ar"}, command


def test_arabic_letter_variants_are_folded() -> None:
    assert fold("أبدأ") == fold("ابدا")
    assert parse("حاله").command == Command.STATUS  # taa marbuta typed as haa
    assert parse("إيقاف").command == parse("ايقاف").command == Command.STOP


def test_unknown_and_empty_words() -> None:
    assert parse("hello there").command is None
    assert parse("").command is None
    assert parse("STATUSX").command is None


# The reply to each simple keyword, in the keyword's own language.
EXPECTED_START = {
    "en": "Kinga: send STATUS",
    "fr": "Kinga : envoyez STATUT",
    "sw": "Kinga: tuma HALI",
    "pt": "Kinga: envie ESTADO",
    "ar": "كينغا: أرسل حالة",
}


@pytest.mark.parametrize("language", sorted(KEYWORDS[Command.HELP]))
def test_help_answers_in_the_language_of_the_keyword(sms: SmsActions, language: str) -> None:
    for word in KEYWORDS[Command.HELP][language]:
        text = twiml_text(sms.twilio(word.lower()))
        assert text.startswith(EXPECTED_START[language]), text


@pytest.mark.parametrize("language", sorted(KEYWORDS[Command.HELP]))
def test_unknown_word_gets_short_help_in_the_caller_language(
    sms: SmsActions, db_session: Session, language: str
) -> None:
    from registry.messaging.optout import set_preferred_language

    set_preferred_language(db_session, PHONE, language, origin=Origin.system())
    db_session.commit()
    text = twiml_text(sms.twilio("blablabla"))
    assert text and len(text) <= 160
    from sms.keywords import keyword_for

    assert keyword_for(Command.HELP, language) in text


@pytest.mark.parametrize("language", sorted(KEYWORDS[Command.STOP]))
def test_stop_and_start_in_every_language(
    sms: SmsActions, db_session: Session, language: str
) -> None:
    for stop_word, start_word in zip(
        KEYWORDS[Command.STOP][language], KEYWORDS[Command.START][language], strict=True
    ):
        assert twiml_text(sms.twilio(stop_word))
        assert is_opted_out(db_session, PHONE)
        assert twiml_text(sms.twilio(start_word))
        assert not is_opted_out(db_session, PHONE)


def test_stop_is_honoured_by_every_later_send(
    sms: SmsActions, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    sms.twilio("STOP")
    later = queue_sms(
        db_session,
        to_phone=PHONE,
        language="en",
        msgid="Kinga: household %(number)s is registered. Keep this number.",
        template="household.registered",
        params={"number": "123"},
    )
    db_session.commit()
    assert later.status == OutboxStatus.SKIPPED and later.error == "opted_out"
    # A word other than START gets no answer while opted out.
    assert twiml_text(sms.twilio("HELP")) == ""
    drain(session_factory, MemoryProvider())
    assert MemoryProvider.sent_to(PHONE) == []
    sms.twilio("START")
    again = queue_sms(
        db_session, to_phone=PHONE, language="en", msgid="x", template="t", params=None
    )
    assert again.status == OutboxStatus.QUEUED


def test_stop_through_africastalking_confirms_once_then_silence(
    sms: SmsActions, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    sms.africastalking("STOP")
    sms.africastalking("HELP")
    drain(session_factory, MemoryProvider())
    sent = MemoryProvider.sent_to(PHONE)
    assert len(sent) == 1 and "START" in sent[0]
    statuses = db_session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)).all()
    assert statuses == [OutboxStatus.SENT]  # HELP while opted out: no reply queued at all


@pytest.mark.parametrize(
    ("message", "language", "confirmation"),
    [
        ("LANGUAGE FR", "fr", "Kinga vous écrira désormais en francais."),
        ("langue 3", "sw", "Kinga sasa itakuandikia kwa Kiswahili."),
        ("LUGHA english", "en", "Kinga will now write to you in English."),
        ("idioma português", "pt", "O Kinga vai passar a escrever-lhe em portugues."),
        ("لغة ar", "ar", "سيكتب لك كينغا من الآن بالعربية."),
    ],
)
def test_language_choice_is_kept_for_later_messages(
    sms: SmsActions, db_session: Session, message: str, language: str, confirmation: str
) -> None:
    assert twiml_text(sms.twilio(message)) == confirmation
    assert db_session.get(SmsContact, PHONE).language == language  # type: ignore[union-attr]
    # Later messages, whatever language the sender asked for, use the chosen one.
    queued = queue_sms(
        db_session,
        to_phone=PHONE,
        language="en",
        msgid="Kinga: household %(number)s is registered. Keep this number.",
        template="t",
        params={"number": "123456782"},
    )
    assert queued.language == language
    assert twiml_text(sms.twilio("HELP")).startswith(EXPECTED_START[language])


def test_language_without_a_choice_lists_the_offered_ones(sms: SmsActions) -> None:
    text = twiml_text(sms.twilio("LANGUAGE"))
    assert "FR Français" in text and "AR العربية" in text
    assert twiml_text(sms.twilio("LANGUAGE klingon")) == text
