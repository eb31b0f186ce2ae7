"""REGISTER, STATUS, COMPLAIN and TRACK by SMS, end to end through the gateways."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.grievances.models import Grievance
from registry.households.models import Household, HouseholdStatus, Person
from registry.programs.enrollment import apply_rule_set
from sms.keywords import KEYWORDS, Command
from sms.providers.memory import MemoryProvider
from sms.worker import drain
from tests.factories import community, make_household, region
from tests.registry.grievances.helpers import setup_categories
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program
from tests.sms.conftest import PHONE, SmsActions, twiml_text

LANGUAGES = ("en", "fr", "sw", "pt", "ar")
OTHER_PHONE = "+254733000222"
# The registration answers in order: names, sex (1 = female), year, disability (2 = no),
# ID card (2 = no), region, district, community (the first of each), other members, consent.
ANSWERS = ["Amina", "Otieno", "1", "1980", "2", "2", "1", "1", "1", "0", "1"]


def word(command: Command, language: str) -> str:
    return KEYWORDS[command][language][0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_step_by_step(
    sms: SmsActions,
    db_session: Session,
    session_factory: sessionmaker[Session],
    language: str,
) -> None:
    first = twiml_text(sms.twilio(word(Command.REGISTER, language)))
    assert first  # the first question, in the keyword's language
    replies = [twiml_text(sms.twilio(answer)) for answer in ANSWERS]
    assert all(replies[:-1]) and replies[-1] == ""  # the receipt goes through the outbox
    household = db_session.scalars(select(Household)).one()
    head = db_session.scalars(select(Person).where(Person.household_id == household.id)).one()
    assert (head.given_name, head.family_name, head.birth_year) == ("Amina", "Otieno", 1980)
    assert head.phone == PHONE and head.language == language
    assert household.status == HouseholdStatus.PENDING_VERIFICATION
    assert household.source_channel == "sms"
    drain(session_factory, MemoryProvider())
    assert any(household.number in body for body in MemoryProvider.sent_to(PHONE))
    # The conversation is over: the next word is a keyword again.
    assert twiml_text(sms.twilio("Amina")).startswith(twiml_text(sms.twilio("xyz"))[:10])


def test_register_in_one_line(sms: SmsActions, db_session: Session) -> None:
    assert twiml_text(sms.twilio("REG " + "*".join(ANSWERS))) == ""
    assert db_session.scalars(select(Household)).one().status == "pending_verification"


def test_register_one_line_with_a_wrong_answer_continues_from_there(
    sms: SmsActions, db_session: Session
) -> None:
    answers = [*ANSWERS]
    answers[3] = "1780"  # an impossible year of birth
    reply = twiml_text(sms.twilio("SAJILI " + "*".join(answers)))
    assert reply and db_session.scalars(select(Household)).first() is None
    for answer in ANSWERS[3:]:
        reply = twiml_text(sms.twilio(answer))
    assert reply == ""
    assert db_session.scalars(select(Household)).one() is not None


def test_help_explains_both_ways_to_register(sms: SmsActions) -> None:
    text = twiml_text(sms.twilio("HELP REG"))
    assert "REGISTER answer1*answer2" in text and "one question at a time" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_by_the_caller_phone(sms: SmsActions, db_session: Session, language: str) -> None:
    area = community(db_session, 0)
    household = make_family(db_session, area, [35, 3, 1], phone=PHONE, language=language)
    program = make_program(db_session, region(db_session, 0))
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    db_session.commit()
    text = twiml_text(sms.twilio(word(Command.STATUS, language)))
    assert household.number in text
    assert str(TODAY.year) in text  # the next payment date
    assert len(text) <= 160 if language != "ar" else len(text) <= 134


def test_status_by_number_and_year_from_another_phone(sms: SmsActions, db_session: Session) -> None:
    household = make_household(db_session, community(db_session, 0), phone=PHONE)
    db_session.commit()
    right = twiml_text(sms.twilio(f"STATUS {household.number} 1980", phone=OTHER_PHONE))
    assert household.number in right
    wrong_year = twiml_text(sms.twilio(f"STATUS {household.number} 1981", phone=OTHER_PHONE))
    unknown = twiml_text(sms.twilio("STATUS 123456782 1980", phone=OTHER_PHONE))
    # Wrong year and unknown number answer alike: nothing to learn about which numbers exist.
    assert wrong_year == unknown and household.number not in wrong_year


def test_status_lookups_are_limited_per_phone(sms: SmsActions, db_session: Session) -> None:
    household = make_household(db_session, community(db_session, 0), phone=PHONE)
    db_session.commit()
    for _ in range(5):
        sms.twilio(f"STATUS {household.number} 1999", phone=OTHER_PHONE)
    locked = twiml_text(sms.twilio(f"STATUS {household.number} 1980", phone=OTHER_PHONE))
    assert household.number not in locked


@pytest.mark.parametrize("language", LANGUAGES)
def test_complain_then_track(
    sms: SmsActions,
    db_session: Session,
    session_factory: sessionmaker[Session],
    language: str,
) -> None:
    setup_categories(db_session)
    db_session.commit()
    response = sms.africastalking(f"{word(Command.COMPLAIN, language)} No payment")
    assert response.status_code == 200
    grievance = db_session.scalars(select(Grievance)).one()
    assert grievance.text == "No payment" and grievance.complainant_phone == PHONE
    assert grievance.language == language and grievance.channel == "sms"
    drain(session_factory, MemoryProvider())
    assert any(grievance.number in body for body in MemoryProvider.sent_to(PHONE))
    text = twiml_text(sms.twilio(f"{word(Command.TRACK, language)} {grievance.number}"))
    assert grievance.number in text


def test_complain_without_text_and_track_without_number_explain_themselves(
    sms: SmsActions, db_session: Session
) -> None:
    setup_categories(db_session)
    db_session.commit()
    assert "COMPLAIN" in twiml_text(sms.twilio("COMPLAIN"))
    assert "TRACK" in twiml_text(sms.twilio("TRACK"))
    assert "12345674" in twiml_text(sms.twilio("TRACK 12345674"))
    assert db_session.scalars(select(Grievance)).first() is None
