"""Report a problem and Track my complaint through USSD, on the real grievance service."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.grievances.models import Grievance
from registry.grievances.service import list_categories, track_grievance
from registry.i18n import translate_ctx
from registry.outbox.models import OutboxMessage
from tests.ussd.conftest import LANGUAGE_KEYS, new_phone, ussd_dial


@pytest.mark.parametrize("language", list(LANGUAGE_KEYS))
def test_report_then_track(client, db_session, language):
    phone = new_phone()
    first = list_categories(db_session, language)[0]
    call = ussd_dial(client, phone, LANGUAGE_KEYS[language], "3")
    assert f"1 {first.name}" in call.last
    call.send("1", "The agent asked me for money", "1", "1")
    assert call.last.startswith("END ")
    grievance = db_session.scalar(select(Grievance).order_by(Grievance.id.desc()).limit(1))
    assert grievance.number in call.last
    assert grievance.category.code == first.code
    assert grievance.anonymous is False and grievance.complainant_phone == phone
    receipt = db_session.scalar(select(OutboxMessage).where(OutboxMessage.to_phone == phone))
    assert receipt is not None and grievance.number in receipt.body

    track = ussd_dial(client, phone, "4", grievance.number)
    view = track_grievance(db_session, grievance.number, language)
    expected = translate_ctx(
        language,
        "ussd",
        "Complaint %(number)s: %(status)s",
        number=view.number,
        status=view.status_label,
    )
    assert expected in track.last


def test_anonymous_report_without_words(client, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, "1", "3", "2", "1", "2", "1")
    assert call.last.startswith("END ")
    grievance = db_session.scalar(select(Grievance).order_by(Grievance.id.desc()).limit(1))
    assert grievance.number in call.last
    assert grievance.anonymous is True and grievance.complainant_phone is None
    assert grievance.text == list_categories(db_session, "en")[1].name
