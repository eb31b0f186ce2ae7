import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import InvalidInput
from registry.households.models import HouseholdStatus
from registry.households.service import HouseholdData, MemberData, register_household
from registry.numbers import is_valid
from registry.origin import Channel, Origin
from registry.outbox.models import OutboxMessage
from tests.factories import community, make_household


def test_self_registration_waits_for_verification(db_session: Session) -> None:
    household = make_household(db_session, community(db_session, 0), channel=Channel.USSD)
    assert household.status == HouseholdStatus.PENDING_VERIFICATION
    assert is_valid(household.number, 9)
    assert household.head is not None and household.head.given_name == "Amina"


def test_registration_queues_a_receipt_in_the_heads_language(db_session: Session) -> None:
    household = make_household(db_session, community(db_session, 0), language="fr")
    message = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.related_id == household.number)
    )
    assert message is not None and message.language == "fr"
    assert household.number in message.body and "ménage" in message.body


def test_no_head_or_wrong_area_is_refused_and_writes_nothing(db_session: Session) -> None:
    area = community(db_session, 0)
    member = MemberData(given_name="A", family_name="B", sex="F", birth_year=1990, relation="child")
    origin = Origin(channel=Channel.FIELD)
    with pytest.raises(InvalidInput):
        register_household(
            db_session, HouseholdData(area_code=area.code, members=[member]), origin=origin
        )
    member.relation = "head"
    with pytest.raises(InvalidInput):
        register_household(
            db_session,
            HouseholdData(
                area_code=area.parent.code,  # type: ignore[union-attr]
                members=[member],
            ),
            origin=origin,
        )
    with pytest.raises(InvalidInput):
        register_household(
            db_session, HouseholdData(area_code=area.code, members=[]), origin=origin
        )
