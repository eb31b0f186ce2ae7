"""A status call, a complaint with a recording and a tracking call, in five languages, through
both gateways' callbacks, with every clip fetched and the recording fetched from the fake
gateway over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.grievances.models import Grievance, GrievanceRecording
from registry.grievances.service import list_categories, track_grievance
from registry.programs.enrollment import apply_rule_set
from registry.programs.status import household_status
from tests.factories import community, region
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program
from tests.voice.conftest import LANGUAGE_KEYS, call, clip_of, new_phone, prompt_clip
from tests.voice.fake_gateway import tone_wav
from voice.prompts import say
from voice.speech import digit_by_digit, spoken_amount, spoken_date

LANGUAGES = list(LANGUAGE_KEYS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_call(app, client, db_session, gateway, gateway_kind, language):
    phone = new_phone()
    household = make_family(
        db_session, community(db_session, 0), [30, 3, 1, 8], phone=phone, language=language
    )
    program = make_program(db_session, region(db_session, 0))
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)

    phone_call = call(client, gateway, gateway_kind, phone)
    # The caller's language is known from registration: no language menu.
    assert phone_call.heard == [
        prompt_clip(app, language, "welcome"),
        prompt_clip(app, language, "menu"),
    ]
    phone_call.press("1")
    view = household_status(db_session, household, language)
    [line] = view.enrollments
    payment = view.next_payment
    assert payment is not None and payment.amount is not None
    expected = [
        prompt_clip(app, language, "household", digits=digit_by_digit(household.number)),
        prompt_clip(app, language, "registration", label=view.registration_label),
        prompt_clip(
            app, language, "program_line", program=line.program_name, status=line.status_label
        ),
    ]
    assert phone_call.heard[: len(expected)] == expected
    amount = spoken_amount(payment.amount, payment.currency, language)
    when = spoken_date(payment.due_date, language)
    assert prompt_clip(app, language, "next_payment", date=when, what=amount) in phone_call.heard
    assert phone_call.heard[-1] == prompt_clip(app, language, "goodbye")
    assert phone_call.waits_for is None and phone_call.said == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_complaint_with_recording_then_tracking_call(
    app, client, db_session, gateway, gateway_kind, language
):
    phone = new_phone()
    first = list_categories(db_session, language)[0]
    phone_call = call(client, gateway, gateway_kind, phone)
    # An unknown caller first hears each language offered in that language.
    assert phone_call.heard == [
        clip_of(app, say(code, "language", digit=int(key)), code, f"language_{key}")
        for code, key in LANGUAGE_KEYS.items()
    ]
    phone_call.press(LANGUAGE_KEYS[language])
    assert phone_call.heard[-1] == prompt_clip(app, language, "menu")
    phone_call.press("2")
    assert (
        prompt_clip(app, language, "category_choice", name=first.name, digit=1) in phone_call.heard
    )
    phone_call.press("1")
    assert phone_call.heard == [prompt_clip(app, language, "consent")]
    phone_call.press("1")
    assert phone_call.waits_for == "record"
    assert phone_call.heard == [prompt_clip(app, language, "record")]

    message = tone_wav(1.5)
    phone_call.speak(message, seconds=6)
    grievance = db_session.scalar(select(Grievance).where(Grievance.complainant_phone == phone))
    assert grievance is not None and grievance.channel == "voice"
    assert grievance.category.code == first.code and grievance.language == language
    recording = db_session.scalars(
        select(GrievanceRecording).where(GrievanceRecording.grievance_id == grievance.id)
    ).one()
    assert recording.audio == message and recording.duration_seconds == 6
    # Fetched from the gateway's own address, with Twilio's credentials where Twilio holds it.
    [fetch] = gateway.fetches
    assert fetch["auth"].startswith("Basic ") == (gateway_kind == "twilio")
    digits = digit_by_digit(grievance.number)
    assert phone_call.heard == [
        prompt_clip(app, language, "received"),
        prompt_clip(app, language, "tracking", digits=digits),
        prompt_clip(app, language, "repeat_tracking", digits=digits),
        prompt_clip(app, language, "goodbye"),
    ]
    assert phone_call.waits_for is None

    # The gateway retries the recording callback: the same answer, still one complaint.
    assert phone_call.replay() == phone_call.last_reply
    count = db_session.scalar(
        select(func.count(Grievance.id)).where(Grievance.complainant_phone == phone)
    )
    assert count == 1 and len(gateway.fetches) == 1

    # A second call from the same phone: the language is remembered; follow the complaint.
    tracking = call(client, gateway, gateway_kind, phone)
    assert tracking.heard[0] == prompt_clip(app, language, "welcome")
    tracking.press("3")
    assert tracking.heard == [prompt_clip(app, language, "track_number")]
    tracking.press(grievance.number + "#")
    view = track_grievance(db_session, grievance.number, language)
    assert tracking.heard[0] == prompt_clip(
        app, language, "complaint_status", digits=digits, status=view.status_label
    )
    assert tracking.waits_for is None


def test_status_by_household_number_and_birth_year(app, client, db_session, gateway):
    """A phone the registry does not know: household number, then the head's birth year."""
    household = make_family(
        db_session, community(db_session, 0), [40, 6], phone="+254712999001", language="sw"
    )
    head_year = TODAY.year - 40
    phone_call = call(client, gateway, "africastalking", new_phone())
    phone_call.press(LANGUAGE_KEYS["sw"])
    phone_call.press("1")
    assert phone_call.heard == [prompt_clip(app, "sw", "status_number")]
    phone_call.press(household.number + "#")
    assert phone_call.heard == [prompt_clip(app, "sw", "status_year")]
    phone_call.press(f"{head_year - 1}#")  # the wrong year: the same answer as an unknown number
    assert phone_call.heard[0] == prompt_clip(app, "sw", "not_found")
    assert phone_call.waits_for is None

    again = call(client, gateway, "twilio", new_phone())
    again.press(LANGUAGE_KEYS["sw"])
    again.press("1")
    again.press(household.number + "#")
    again.press(f"{head_year}#")
    assert again.heard[0] == prompt_clip(
        app, "sw", "household", digits=digit_by_digit(household.number)
    )
