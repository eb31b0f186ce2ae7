"""Lodging a grievance from the field web, through the grievance desk's real service."""

from __future__ import annotations

from sqlalchemy import select

from registry.grievances.models import Grievance
from registry.numbers import group
from registry.outbox.models import OutboxMessage
from tests.conftest import csrf_token
from tests.factories import community, make_user


def test_page_is_always_there_for_who_may_lodge(client, db_session, auth) -> None:  # type: ignore[no-untyped-def]
    make_user(db_session, {"field_worker"}, [community(db_session).code], username="fw")
    db_session.commit()
    auth.login("fw")
    page = client.get("/field/grievance")
    assert page.status_code == 200
    # The categories come from the desk's managed list, in the desk's order.
    assert 'value="payment_missing"' in page.get_data(as_text=True)
    assert "/field/grievance" in client.get("/field/").get_data(as_text=True)


def test_page_refused_without_the_lodge_permission(client, db_session, auth) -> None:  # type: ignore[no-untyped-def]
    make_user(db_session, {"program_manager"}, [community(db_session).code], username="pm")
    db_session.commit()
    auth.login("pm")
    assert client.get("/field/grievance").status_code in (403, 404)


def test_field_worker_lodges_a_grievance(client, db_session, auth) -> None:  # type: ignore[no-untyped-def]
    place = community(db_session)
    make_user(db_session, {"field_worker"}, [place.parent.parent.code], username="fw")
    db_session.commit()
    auth.login("fw")
    answers = {
        "category": "payment_missing",
        "text": "Paid only half <b>",
        "area": place.code,
        "anonymous": "no",
        "complainant_phone": "0712345678",
        "consent_to_contact": "yes",
        "csrf_token": csrf_token(client, "/field/"),
    }
    summary = client.post("/field/grievance", data={**answers, "go": "summary", "step": "2"})
    assert summary.status_code == 200 and "Paid only half &lt;b&gt;" in summary.get_data(
        as_text=True
    )
    done = client.post("/field/grievance", data={**answers, "go": "save"})
    assert done.status_code == 200
    grievance = db_session.scalars(select(Grievance)).one()
    assert group(grievance.number, 3) in done.get_data(as_text=True)
    assert grievance.text == "Paid only half <b>"
    assert grievance.category.code == "payment_missing"
    assert grievance.complainant_phone == "+254712345678"
    assert grievance.area.code == place.code and grievance.anonymous is False
    assert grievance.channel == "field"
    assert [e.actor_name for e in grievance.events][:1] == ["fw"]
    receipt = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_phone == "+254712345678")
    ).one()
    assert grievance.number in receipt.body.replace(" ", "")
