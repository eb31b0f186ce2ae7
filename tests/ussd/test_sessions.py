"""Whole USSD sessions through the HTTP endpoint, in every language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.households.models import Household, HouseholdStatus
from registry.i18n import LANGUAGE_NAMES, translate_ctx
from registry.outbox.models import OutboxMessage
from registry.selfservice.models import PhoneLanguage
from tests.factories import community, make_household
from tests.ussd.conftest import LANGUAGE_KEYS, new_phone, ussd_dial
from tests.ussd.fakes import LONG_PROGRAM, tracking_number

LANGUAGES = list(LANGUAGE_KEYS)
REGISTRATION = ("Amina", "Otieno", "1", "1980", "1", "1", "1", "4", "1")


def t(language: str, msgid: str, **params: object) -> str:
    return translate_ctx(language, "ussd", msgid, **params)


def test_first_dial_offers_each_language_named_in_itself(client, fakes):
    call = ussd_dial(client)
    assert call.last.startswith("CON ")
    for code, key in LANGUAGE_KEYS.items():
        assert f"{key} {LANGUAGE_NAMES[code]}" in call.last


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_whole_session(client, fakes, db_session, language):
    phone = new_phone()
    call = ussd_dial(client, phone, LANGUAGE_KEYS[language])
    assert t(language, "Register") in call.last
    assert t(language, "Track my complaint") in call.last
    call.send("1", *REGISTRATION)
    assert t(language, "Is this right?") in call.last
    assert "Amina Otieno, 1980" in call.last
    assert t(language, "People: %(count)s", count=4) in call.last
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


def test_language_is_remembered_for_the_phone(client, fakes, db_session):
    phone = new_phone()
    ussd_dial(client, phone, LANGUAGE_KEYS["sw"])
    assert db_session.get(PhoneLanguage, phone).language == "sw"
    again = ussd_dial(client, phone)
    assert t("sw", "My status") in again.last
    assert LANGUAGE_NAMES["fr"] not in again.last


def test_language_menu_changes_the_language(client, fakes, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, LANGUAGE_KEYS["en"], "5", LANGUAGE_KEYS["ar"])
    assert t("ar", "Report a problem") in call.last
    assert db_session.get(PhoneLanguage, phone).language == "ar"


def test_known_person_is_not_asked_the_language(client, fakes, db_session):
    household = make_household(db_session, community(db_session), phone=new_phone(), language="fr")
    call = ussd_dial(client, household.head.phone)
    assert t("fr", "My status") in call.last


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_by_calling_phone(client, fakes, db_session, language):
    household = make_household(
        db_session, community(db_session), phone=new_phone(), language=language
    )
    call = ussd_dial(client, household.head.phone, "2")
    assert call.last.startswith("CON ")
    assert t(language, "Household %(number)s", number=household.number) in call.last
    assert f"[{language}] {household.status}" in call.last
    pages = [call.last]
    while "98 " in call.last:
        pages.append(call.send("98"))
    joined = "\n".join(pages)
    assert LONG_PROGRAM in joined
    assert "2026-12-15" in joined


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_by_number_and_birth_year(client, fakes, db_session, language):
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
    call.send("1980")
    assert t(language, "Household %(number)s", number=household.number) in call.last


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_a_problem(client, fakes, language):
    phone = new_phone()
    call = ussd_dial(client, phone, LANGUAGE_KEYS[language], "3")
    assert t(language, "What is the problem about?") in call.last
    assert f"1 Payment not received or incomplete ({language})" in call.last
    call.send("2", "My name is wrong on the list", "2")
    assert t(language, "Send this report? %(category)s", category="") in call.last
    call.send("1")
    assert call.last.startswith("END ")
    lodged = fakes.grievances.lodged[-1]
    assert lodged["category_code"] == "C2"
    assert lodged["text"] == "My name is wrong on the list"
    assert lodged["anonymous"] is True and lodged["consent_to_contact"] is False
    assert lodged["complainant_phone"] == phone
    assert lodged["language"] == language and lodged["channel"] == "ussd"
    assert tracking_number(str(1000000 + len(fakes.grievances.lodged))) in call.last


def test_report_without_words_uses_the_category(client, fakes):
    call = ussd_dial(client, None, "1", "3", "1", "1", "1", "1")
    assert call.last.startswith("END ")
    lodged = fakes.grievances.lodged[-1]
    assert lodged["text"] == "Payment not received or incomplete (en)"
    assert lodged["anonymous"] is False and lodged["consent_to_contact"] is True


def test_report_cancel_lodges_nothing(client, fakes):
    call = ussd_dial(client, None, "1", "3", "1", "1", "1", "2")
    assert t("en", "Register") in call.last
    assert fakes.grievances.lodged == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_track_my_complaint(client, fakes, language):
    call = ussd_dial(client, None, LANGUAGE_KEYS[language], "4")
    assert t(language, "Enter your tracking number:") in call.last
    call.send("12345678")  # check digit wrong
    assert t(language, "This number has a mistake. Check it.") in call.last
    call.send(tracking_number())
    assert "In progress" in call.last
    assert "paying agent" in call.last


def test_track_unknown_number(client, fakes):
    call = ussd_dial(client, None, "1", "4", tracking_number("7654321"))
    assert call.last == "END " + t("en", "No complaint with this number. Check it and try later.")


def test_back_and_main_menu_keys(client, fakes):
    call = ussd_dial(client, None, "1", "1", "Amina")
    assert "Family name" in call.last
    call.send("0")
    assert "First name" in call.last
    call.send("0")
    assert t("en", "Track my complaint") in call.last
    call.send("4", "00")
    assert t("en", "Track my complaint") in call.last
    call.send("9")
    assert t("en", "Please choose a number from the list.") in call.last


def test_registration_refused_at_confirm_goes_to_main_menu(client, fakes, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, "1", "1", *REGISTRATION, "2")
    assert t("en", "Register") in call.last
    assert not db_session.scalar(select(Household).where(Household.members.any(phone=phone)))


def test_form_errors_are_shown_on_the_same_question(client, fakes):
    call = ussd_dial(client, None, "1", "1", "Amina", "Otieno", "1", "19")
    assert "Give a year such as 1980." in call.last
    assert "Year of birth" in call.last
    call.send("1980")
    assert "Region?" in call.last
