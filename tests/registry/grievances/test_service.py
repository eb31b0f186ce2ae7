from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.errors import InvalidInput
from registry.grievances.service import list_categories, track_grievance
from registry.grievances.states import EventKind, GrievanceChannel, Status
from registry.numbers import is_valid
from registry.outbox.models import OutboxMessage
from registry.scope import Scope
from tests.factories import community, make_household
from tests.registry.grievances.helpers import PHONE, lodge, officer, setup_categories


def test_lodging_by_sms_numbers_it_queues_the_receipt_and_audits(db_session: Session) -> None:
    setup_categories(db_session)
    grievance = lodge(db_session)
    assert is_valid(grievance.number) and len(grievance.number) <= 10
    assert grievance.channel == GrievanceChannel.SMS
    assert grievance.status == Status.NEW and grievance.priority == "high"
    assert grievance.due_at - grievance.received_at == timedelta(hours=72)
    receipt = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.related_id == grievance.number)
    )
    assert receipt is not None and receipt.to_phone == PHONE and receipt.language == "sw"
    assert grievance.number in receipt.body
    assert [e.kind for e in grievance.events] == [EventKind.RECEIVED]
    assert grievance.events[0].outbox_message_id == receipt.id
    audit = db_session.scalar(select(AuditEvent).where(AuditEvent.target_id == grievance.number))
    assert audit is not None and audit.action == "grievance.received"


def test_handling_area_is_the_nearest_staffed_area(db_session: Session) -> None:
    setup_categories(db_session)
    region_officer = officer(db_session, 0)
    grievance = lodge(db_session)
    assert grievance.handling_area_id == region_officer.areas[0].id


def test_anonymous_keeps_no_phone_but_gets_the_receipt(db_session: Session) -> None:
    setup_categories(db_session)
    grievance = lodge(db_session, anonymous=True)
    assert grievance.complainant_phone is None and grievance.person_id is None
    assert not grievance.consent_to_contact
    receipt = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.related_id == grievance.number)
    )
    assert receipt is not None and receipt.to_phone == PHONE


def test_phone_of_a_registered_person_links_them_and_their_area(db_session: Session) -> None:
    setup_categories(db_session)
    area = community(db_session, 1, 2)
    household = make_household(db_session, area, phone="+254722333444")
    from registry.grievances.service import GrievanceData, lodge_grievance
    from registry.origin import Channel, Origin

    grievance = lodge_grievance(
        db_session,
        GrievanceData("other", "Pay point is far", None, "+254722333444", None, False, True, "en"),
        origin=Origin(channel=Channel.USSD),
        scope=Scope.unrestricted(),
    )
    assert grievance.person_id == household.members[0].id
    assert grievance.area_id == area.id
    assert grievance.channel == GrievanceChannel.USSD


def test_unknown_area_goes_to_the_country(db_session: Session) -> None:
    setup_categories(db_session)
    from registry.grievances.service import GrievanceData, lodge_grievance
    from registry.origin import Channel, Origin

    grievance = lodge_grievance(
        db_session,
        GrievanceData("other", "Hello", None, "+254700000001", None, False, False, "en"),
        origin=Origin(channel=Channel.USSD),
        scope=Scope.unrestricted(),
    )
    assert grievance.area.parent_id is None


@pytest.mark.parametrize(
    ("category", "text"), [("nope", "text"), ("other", "   "), ("other", "x" * 2001)]
)
def test_bad_input_is_refused(db_session: Session, category: str, text: str) -> None:
    setup_categories(db_session)
    with pytest.raises(InvalidInput):
        lodge(db_session, category=category, text=text)


def test_track_shows_status_and_last_public_reply_only(db_session: Session) -> None:
    from registry.grievances.actions import add_note, reply_to_complainant
    from tests.registry.grievances.helpers import origin_of, viewer_of

    setup_categories(db_session)
    user = officer(db_session)
    grievance = lodge(db_session)
    add_note(db_session, viewer_of(user), grievance.number, "secret", origin=origin_of(user))
    reply_to_complainant(
        db_session, viewer_of(user), grievance.number, "Tunashughulikia.", origin=origin_of(user)
    )
    view = track_grievance(db_session, grievance.number, "fr")
    assert view is not None
    assert view.status == Status.IN_PROGRESS and view.status_label == "En cours"
    assert view.last_public_reply == "Tunashughulikia."
    wrong = grievance.number[:-1] + str((int(grievance.number[-1]) + 1) % 10)
    assert track_grievance(db_session, wrong, "en") is None
    assert track_grievance(db_session, "abc", "en") is None


def test_categories_are_listed_top_level_in_order_and_language(db_session: Session) -> None:
    setup_categories(db_session)
    choices = list_categories(db_session, "sw")
    assert choices[0].code == "targeting" and choices[0].name == "Walengwa au ustahiki"
    assert "targeting_excluded" not in [c.code for c in choices]
    assert len(choices) == 8


def test_from_form_answers_and_phone_rules(db_session: Session) -> None:
    from registry.grievances.service import GrievanceData, lodge_grievance
    from registry.origin import Channel, Origin

    setup_categories(db_session)
    answers = {
        "category": "other",
        "text": "Pay point closed",
        "area": community(db_session, 0).code,
        "anonymous": False,
        "complainant_phone": "0712 000 111",
        "consent_to_contact": True,
    }
    data = GrievanceData.from_answers(answers, language="pt", channel="field")
    grievance = lodge_grievance(
        db_session, data, origin=Origin(channel=Channel.FIELD), scope=Scope.unrestricted()
    )
    assert grievance.complainant_phone == "+254712000111" and grievance.consent_to_contact
    secret = GrievanceData.from_answers({**answers, "anonymous": True}, language="pt")
    assert secret.complainant_phone is None and not secret.consent_to_contact
    with pytest.raises(InvalidInput):
        lodge(db_session, phone="12ab")
    assert lodge(db_session, phone="+999123456789").complainant_phone == "+999123456789"
