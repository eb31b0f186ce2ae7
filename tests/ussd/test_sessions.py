"""Whole USSD sessions through the HTTP endpoint, in every language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.grievances.actions import reply_to_complainant
from registry.grievances.models import Grievance
from registry.grievances.service import list_categories, track_grievance
from registry.households.models import Household, HouseholdStatus
from registry.i18n import LANGUAGE_NAMES, translate_ctx
from registry.numbers import luhn_check_digit
from registry.outbox.models import OutboxMessage
from registry.programs.status import household_status
from registry.selfservice.models import PhoneLanguage
from tests.factories import community, make_household
from tests.registry.grievances.helpers import country_officer, origin_of, viewer_of
from tests.ussd.conftest import (
    LANGUAGE_KEYS,
    current_field,
    fill_registration,
    new_phone,
    ussd_dial,
)
from tests.ussd.conftest import (
    answer_for as fill_answer,
)

LANGUAGES = list(LANGUAGE_KEYS)


def t(language: str, msgid: str, **params: object) -> str:
    return translate_ctx(language, "ussd", msgid, **params)


def test_first_dial_offers_each_language_named_in_itself(client):
    call = ussd_dial(client)
    assert call.last.startswith("CON ")
    for code, key in LANGUAGE_KEYS.items():
        assert f"{key} {LANGUAGE_NAMES[code]}" in call.last


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_whole_session(client, kv, db_session, language):
    phone = new_phone()
    call = ussd_dial(client, phone, LANGUAGE_KEYS[language])
    assert t(language, "Register") in call.last
    assert t(language, "Track my complaint") in call.last
    call.send("1")
    fill_registration(kv, call)
    assert t(language, "Is this right?") in call.last
    assert "Amina Otieno, 1980" in call.last
    assert t(language, "People: %(count)s", count=2) in call.last  # the head and one member
    call.send("1")
    assert call.last.startswith("END ")
    household = db_session.scalar(
        select(Household).join(Household.members).where(Household.members.any(phone=phone))
    )
    assert household is not None
    assert household.number in call.last
    assert household.status == HouseholdStatus.PENDING_VERIFICATION
    assert household.source_channel == "ussd"
    assert household.head.language == language
    receipt = db_session.scalar(select(OutboxMessage).where(OutboxMessage.to_phone == phone))
    assert receipt is not None and household.number in receipt.body
    assert receipt.language == language


def test_language_is_remembered_for_the_phone(client, db_session):
    phone = new_phone()
    ussd_dial(client, phone, LANGUAGE_KEYS["sw"])
    assert db_session.get(PhoneLanguage, phone).language == "sw"
    again = ussd_dial(client, phone)
    assert t("sw", "My status") in again.last
    assert LANGUAGE_NAMES["fr"] not in again.last


def test_language_menu_changes_the_language(client, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, LANGUAGE_KEYS["en"], "5", LANGUAGE_KEYS["ar"])
    assert t("ar", "Report a problem") in call.last
    assert db_session.get(PhoneLanguage, phone).language == "ar"


def test_known_person_is_not_asked_the_language(client, db_session):
    household = make_household(db_session, community(db_session), phone=new_phone(), language="fr")
    call = ussd_dial(client, household.head.phone)
    assert t("fr", "My status") in call.last


def _latest_grievance(db_session) -> Grievance | None:
    return db_session.scalar(select(Grievance).order_by(Grievance.id.desc()).limit(1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_by_calling_phone(client, db_session, language):
    household = make_household(
        db_session, community(db_session), phone=new_phone(), language=language
    )
    call = ussd_dial(client, household.head.phone, "2")
    assert call.last.startswith("CON ")
    assert t(language, "Household %(number)s", number=household.number) in call.last
    view = household_status(db_session, household, language)
    label = t(language, "Registration: %(label)s", label=view.registration_label)
    pages = [call.last]
    while "98 " in call.last:
        pages.append(call.send("98"))
    assert label in "\n".join(pages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_by_number_and_birth_year(client, db_session, language):
    household = make_household(db_session, community(db_session), phone=None)
    call = ussd_dial(client, None, LANGUAGE_KEYS[language], "2")
    assert t(language, "Enter your household or card number:") in call.last
    wrong_digit = household.number[:-1] + str((int(household.number[-1]) + 1) % 10)
    call.send(wrong_digit)
    assert t(language, "This number has a mistake. Check it.") in call.last
    call.send(household.number)
    assert t(language, "Enter the year of birth of the head of household:") in call.last
    call.send("80")
    assert t(language, "Enter 4 digits, for example 1980.") in call.last
    call.send(str(household.head.birth_year))
    assert t(language, "Household %(number)s", number=household.number) in call.last


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_a_problem(client, db_session, language):
    phone = new_phone()
    categories = list_categories(db_session, language)
    call = ussd_dial(client, phone, LANGUAGE_KEYS[language], "3")
    assert t(language, "What is the problem about?") in call.last
    assert f"1 {categories[0].name}" in call.last
    call.send("2", "My name is wrong on the list", "2")
    assert t(language, "Send this report? %(category)s", category="") in call.last
    call.send("1")
    assert call.last.startswith("END ")
    lodged = _latest_grievance(db_session)
    assert lodged.category.code == categories[1].code
    assert lodged.text == "My name is wrong on the list"
    assert lodged.anonymous is True and lodged.consent_to_contact is False
    assert lodged.complainant_phone is None  # anonymous: the phone only gets the receipt
    assert lodged.language == language and lodged.channel == "ussd"
    assert lodged.number in call.last
    receipt = db_session.scalar(select(OutboxMessage).where(OutboxMessage.to_phone == phone))
    assert receipt is not None and lodged.number in receipt.body


def test_report_without_words_uses_the_category(client, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, "1", "3", "1", "1", "1", "1")
    assert call.last.startswith("END ")
    lodged = _latest_grievance(db_session)
    assert lodged.text == list_categories(db_session, "en")[0].name
    assert lodged.anonymous is False and lodged.consent_to_contact is True
    assert lodged.complainant_phone == phone


def test_report_cancel_lodges_nothing(client, db_session):
    before = _latest_grievance(db_session)
    call = ussd_dial(client, None, "1", "3", "1", "1", "1", "2")
    assert t("en", "Register") in call.last
    assert _latest_grievance(db_session) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_track_my_complaint(client, db_session, language):
    phone = new_phone()
    lodged = ussd_dial(
        client, phone, LANGUAGE_KEYS[language], "3", "1", "No money in March", "1", "1"
    )
    number = _latest_grievance(db_session).number
    assert number in lodged.last
    user = country_officer(db_session)  # an unknown phone: the grievance is country-wide
    reply = "We have asked the paying agent to check your payment of March."
    reply_to_complainant(db_session, viewer_of(user), number, reply, origin=origin_of(user))
    db_session.commit()
    call = ussd_dial(client, phone, "4")
    assert t(language, "Enter your tracking number:") in call.last
    call.send("12345678")  # check digit wrong
    assert t(language, "This number has a mistake. Check it.") in call.last
    call.send(number)
    view = track_grievance(db_session, number, language)
    assert view.status_label in call.last
    assert "paying agent" in call.last


def test_track_unknown_number(client):
    unknown = "7654321" + luhn_check_digit("7654321")
    call = ussd_dial(client, None, "1", "4", unknown)
    assert call.last == "END " + t("en", "No complaint with this number. Check it and try later.")


def test_back_and_main_menu_keys(client, kv):
    call = ussd_dial(client, None, "1", "1")
    first = call.last
    first_field = current_field(kv, call)
    call.send("Amina")
    assert current_field(kv, call) != first_field
    call.send("0")
    assert call.last == first and current_field(kv, call) == first_field
    call.send("0")
    assert t("en", "Track my complaint") in call.last
    call.send("4", "00")
    assert t("en", "Track my complaint") in call.last
    call.send("9")
    assert t("en", "Please choose a number from the list.") in call.last


def test_registration_refused_at_confirm_goes_to_main_menu(client, kv, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, "1", "1")
    fill_registration(kv, call)
    call.send("2")
    assert t("en", "Register") in call.last
    assert not db_session.scalar(select(Household).where(Household.members.any(phone=phone)))


def test_form_errors_are_shown_on_the_same_question(client, kv):
    call = ussd_dial(client, None, "1", "1")
    for _ in range(10):
        if current_field(kv, call).endswith("birth_year"):
            break
        call.send(fill_answer(kv, call))
    field = current_field(kv, call)
    question = call.last
    call.send("19")
    assert current_field(kv, call) == field
    error = call.last.removeprefix("CON ").split("\n")[0]
    assert error and error not in question  # the engine's own error, above the same question
    assert question.removeprefix("CON ").split("\n")[0] in call.last
    call.send("1980")
    assert current_field(kv, call) != field
