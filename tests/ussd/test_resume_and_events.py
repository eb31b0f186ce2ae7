"""A registration cut off mid-way is offered again; how sessions end is recorded."""

from __future__ import annotations

from sqlalchemy import select

from registry.selfservice.models import SessionOutcome, UssdSession
from registry.selfservice.resume import RESUME_WINDOW_SECONDS, load_draft
from tests.ussd.conftest import current_field, fill_registration, new_phone, ussd_dial
from tests.ussd.test_sessions import t


def _row(db_session, call) -> UssdSession:
    return db_session.scalar(select(UssdSession).where(UssdSession.session_id == call.session_id))


def test_dropped_registration_is_offered_again(client, kv):
    phone = new_phone()
    dropped = ussd_dial(client, phone, "3", "1", "Amina", "Otieno")  # Kiswahili
    field = current_field(kv, dropped)
    question = dropped.last
    dropped.end_event("Incomplete")
    again = ussd_dial(client, phone)
    assert t("sw", "You did not finish your registration.") in again.last
    assert "1 " + t("sw", "Continue") in again.last
    assert "2 " + t("sw", "Start again") in again.last
    again.send("1")
    assert again.last == question and current_field(kv, again) == field
    fill_registration(kv, again)
    again.send("1")
    assert again.last.startswith("END ")
    assert load_draft(kv, phone) is None
    assert ussd_dial(client, phone).last.count("\n") == 5  # straight to the main menu


def test_start_again_begins_a_new_registration(client, kv):
    phone = new_phone()
    first = ussd_dial(client, phone, "1", "1")
    first_field = current_field(kv, first)
    first.send("Amina", "Otieno")
    assert load_draft(kv, phone).state["step"]["field"] != first_field
    call = ussd_dial(client, phone, "2")
    assert call.last == first.replies[2]  # the first question again
    assert load_draft(kv, phone).state["step"]["field"] == first_field


def test_back_from_resumed_registration_reaches_the_main_menu(client):
    phone = new_phone()
    ussd_dial(client, phone, "1", "1", "Amina")
    call = ussd_dial(client, phone, "1", "0", "0")
    assert t("en", "Track my complaint") in call.last


def test_draft_lives_ten_minutes(kv):
    from registry.selfservice import resume

    calls = []

    class Spy:
        def set(self, key, value, ttl_seconds):
            calls.append(ttl_seconds)
            kv.set(key, value, ttl_seconds)

    resume.save_draft(Spy(), "+254700000009", "register", {"step": {}})  # type: ignore[arg-type]
    assert calls == [RESUME_WINDOW_SECONDS] == [600]
    assert load_draft(kv, "+254700000009").flow == "register"


def test_completed_session_is_recorded(client, kv, db_session):
    call = ussd_dial(client, None, "1", "4", "12345670")
    call.send("0")  # still open
    call = ussd_dial(client, None, "1", "1")
    fill_registration(kv, call)
    call.send("1")
    call.end_event("Success")
    row = _row(db_session, call)
    assert row.outcome == SessionOutcome.COMPLETED
    assert row.flow == "register" and row.last_screen == "register_confirm"
    assert row.gateway_status == "Success" and row.duration_ms == 41000


def test_dropped_session_is_recorded_where_it_stopped(client, db_session):
    call = ussd_dial(client, None, "1", "2")
    assert _row(db_session, call).outcome == SessionOutcome.OPEN
    call.end_event("Incomplete")
    row = _row(db_session, call)
    assert row.outcome == SessionOutcome.DROPPED
    assert row.flow == "status" and row.last_screen == "status_number"
    assert row.steps == 2 and row.language == "en"


def test_end_event_for_an_unknown_session_is_kept(client, db_session):
    response = client.post(
        "/ussd/africastalking/test-at-token/events",
        data={"sessionId": "gone-1", "status": "Failed", "errorMessage": "timeout"},
    )
    assert response.status_code == 200
    row = db_session.scalar(select(UssdSession).where(UssdSession.session_id == "gone-1"))
    assert row.outcome == SessionOutcome.FAILED and row.error == "timeout"


def test_end_event_without_session_is_refused(client):
    assert client.post("/ussd/africastalking/test-at-token/events", data={}).status_code == 400
