from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.audit.service import GENESIS_HASH, compute_hash
from tests.factories import community, make_household


def test_every_registration_is_audited_and_chained(db_session: Session) -> None:
    household = make_household(db_session, community(db_session, 0))
    make_household(db_session, community(db_session, 0, 1))
    events = list(db_session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    registered = [e for e in events if e.action == "household.register"]
    assert registered[0].target_id == household.number
    previous = GENESIS_HASH
    for event in events:
        assert event.prev_hash == previous
        assert event.hash == compute_hash(event)
        previous = event.hash


def test_personal_data_is_not_copied_into_the_audit_log(db_session: Session) -> None:
    make_household(
        db_session, community(db_session, 0), family_name="Zyxwvutsr", phone="+254799111222"
    )
    for event in db_session.scalars(select(AuditEvent)):
        blob = str(event.details) + (event.target_id or "")
        assert "Zyxwvutsr" not in blob and "799111222" not in blob
