"""Subscribe, then receive signed notifications (and async search answers) at a local fake
partner; deliveries are retried with backoff, recorded, and never leave the agreement."""

from __future__ import annotations

import json
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.db import utcnow
from registry.partners.deliveries import deliver_due
from registry.partners.envelope import timestamp
from registry.partners.models import PartnerDelivery, PartnerDeliveryAttempt
from registry.partners.signing import verify_with_jwks
from tests.factories import community, region
from tests.partners.dci_schema import CORE, SOCIAL, validate_ack, validate_request
from tests.partners.fake_partner import fake_partner
from tests.partners.helpers import household, make_partner, search_message


def _subscribe(partner, client, token, event: str, **filter_terms):  # type: ignore[no-untyped-def]
    message = {
        "transaction_id": f"sub-{event}",
        "subscribe_request": [
            {
                "reference_id": f"ref-{event}",
                "timestamp": timestamp(),
                "subscribe_criteria": {
                    "reg_event_type": event,
                    # The predicate form: the standard's oneOf cannot tell its expression form
                    # from idtype-value (both are {type, value}), so only this form validates.
                    "filter_type": "predicate",
                    "filter": [
                        {
                            "seq_num": i + 1,
                            "expression1": {
                                "attribute_name": k,
                                "operator": "eq",
                                "attribute_value": v,
                            },
                        }
                        for i, (k, v) in enumerate(filter_terms.items())
                    ],
                    "notify_record_type": "Group",
                },
            }
        ],
    }
    body = partner.envelope("subscribe", message)
    validate_request(body, "/registry/subscribe", CORE)
    response = partner.post(client, "/registry/subscribe", token, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()["message"]["subscribe_response"][0]
    assert answer["status"] == "succ", answer
    return answer["subscriptions"][0]["code"]


def test_notifications_reach_the_partner_signed_and_retried(
    client: FlaskClient, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    with fake_partner() as fake:
        partner = make_partner(
            db_session, areas=[region(db_session, 0).code], callback_url=fake.base_url
        )
        token = partner.token(client)
        _subscribe(partner, client, token, "REGISTER", area=region(db_session, 0).code)
        own = household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDN0001",
            given="Notified",
            family="Person",
        )
        household(
            db_session,
            community(db_session, 1).code,
            national_id="NIDN0002",
            given="Elsewhere",
            family="Unseen",
        )
        db_session.commit()
        deliveries = db_session.scalars(select(PartnerDelivery)).all()
        assert [(d.kind, d.household_id) for d in deliveries] == [("notify", own.id)]

        fake.failures_left = 1
        assert deliver_due(session_factory) == {"queued": 1}  # 503: retried later
        assert fake.received == []
        assert deliver_due(session_factory) == {}  # not due yet (backoff)
        later = utcnow() + timedelta(minutes=5)
        assert deliver_due(session_factory, now=later) == {"delivered": 1}
        assert deliver_due(session_factory, now=later) == {}  # never twice

        ((path, body),) = fake.received
        assert path == "/dci/registry/notify"
        validate_request(body, "/registry/notify", CORE)
        jwks = client.get("/api/v1/dci/.well-known/jwks.json").get_json()
        verify_with_jwks(body["signature"], body["header"], body["message"], jwks)
        record = body["message"]["notify_event"][0]["data"]["reg_records"]
        assert record["group_identifier"][0]["identifier_value"] == own.number
        assert "Unseen" not in json.dumps(body) and "NIDN0001" not in json.dumps(body)
        attempts = db_session.scalars(select(PartnerDeliveryAttempt)).all()
        assert [a.status_code for a in attempts] == [503, 200]
        assert attempts[0].message_id == attempts[1].message_id  # stable: partner can dedupe


def test_async_search_answer_posted_to_on_search(
    client: FlaskClient, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    with fake_partner() as fake:
        partner = make_partner(
            db_session, areas=[region(db_session, 0).code], callback_url=fake.base_url
        )
        household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDA0001",
            given="Async",
            family="Found",
        )
        db_session.commit()
        token = partner.token(client)
        message = search_message("idtype-value", {"type": "NATIONAL_ID", "value": "NIDA0001"})
        body = partner.envelope("search", message)
        validate_request(body, "/registry/search", SOCIAL)
        response = partner.post(client, "/registry/search", token, body)
        assert response.status_code == 200
        validate_ack(response.get_json())
        assert deliver_due(session_factory) == {"delivered": 1}
        ((path, posted),) = fake.received
        assert path == "/dci/registry/on-search"
        validate_request(posted, "/registry/on-search", SOCIAL)
        item = posted["message"]["search_response"][0]
        assert item["pagination"]["total_count"] == 1
        assert (
            posted["message"]["correlation_id"] == response.get_json()["message"]["correlation_id"]
        )


def test_withdrawn_consent_or_suspension_stops_pending_notifications(
    client: FlaskClient, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    from datetime import date

    from registry.households.editing import record_consent
    from registry.origin import Origin
    from registry.partners.clients import get_client, set_suspended
    from registry.scope import Scope

    with fake_partner() as fake:
        partner = make_partner(
            db_session, areas=[region(db_session, 0).code], callback_url=fake.base_url
        )
        token = partner.token(client)
        _subscribe(partner, client, token, "REGISTER")
        withdrawn = household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDW0001",
            given="Withdrawn",
            family="Consent",
        )
        db_session.commit()
        record_consent(
            db_session,
            Scope.unrestricted(),
            withdrawn.number,
            given=False,
            method="spoken",
            on=date.today(),
            origin=Origin.cli("tests"),
        )
        db_session.commit()
        assert deliver_due(session_factory) == {"cancelled": 1}
        household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDW0002",
            given="Later",
            family="Suspended",
        )
        db_session.commit()
        set_suspended(db_session, Origin.cli(), get_client(db_session, partner.client_id), True)
        db_session.commit()
        assert deliver_due(session_factory) == {"cancelled": 1}
        assert fake.received == []


def test_deliveries_run_as_jobs_after_commit(
    client: FlaskClient,
    db_session: Session,
    session_factory: sessionmaker[Session],
    run_queued_jobs,  # type: ignore[no-untyped-def]
) -> None:
    from registry.jobs import Job

    with fake_partner() as fake:
        partner = make_partner(
            db_session, areas=[region(db_session, 0).code], callback_url=fake.base_url
        )
        token = partner.token(client)
        _subscribe(partner, client, token, "REGISTER")
        household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDJ0001",
            given="Queued",
            family="Job",
        )
        db_session.rollback()  # a change that rolls back owes the partner nothing
        assert db_session.scalars(select(Job).where(Job.kind == "partners.deliver")).all() == []
        household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDJ0002",
            given="Committed",
            family="Job",
        )
        db_session.commit()
        body = partner.envelope(
            "search", search_message("idtype-value", {"type": "NATIONAL_ID", "value": "NIDJ0002"})
        )
        assert partner.post(client, "/registry/search", token, body).status_code == 200
        jobs = db_session.scalars(select(Job).where(Job.kind == "partners.deliver")).all()
        assert len(jobs) == 2
        run_queued_jobs(session_factory)
        assert sorted(path for path, _ in fake.received) == [
            "/dci/registry/notify",
            "/dci/registry/on-search",
        ]
        db_session.expire_all()
        jobs = db_session.scalars(select(Job).where(Job.kind == "partners.deliver")).all()
        assert {j.state for j in jobs} == {"done"} and jobs[0].result == {"delivered": 1}
        assert deliver_due(session_factory) == {}  # nothing left for the sweep


def test_a_payment_is_notified_to_partners_subscribed_to_payments(
    client: FlaskClient, db_session: Session
) -> None:
    from registry.payments.notices import note_payment

    with fake_partner() as fake:
        partner = make_partner(
            db_session, areas=[region(db_session, 0).code], callback_url=fake.base_url
        )
        token = partner.token(client)
        _subscribe(partner, client, token, "PAYMENT")
        paid = household(
            db_session,
            community(db_session, 0).code,
            national_id="NIDP0001",
            given="Paid",
            family="Household",
        )
        db_session.commit()
        note_payment(db_session, paid.id, 41, "paid", None)
        note_payment(db_session, paid.id, 41, "paid", None)  # the same payment told twice
        db_session.commit()
        deliveries = db_session.scalars(
            select(PartnerDelivery).where(PartnerDelivery.event_type == "PAYMENT")
        ).all()
        assert [(d.household_id, d.kind) for d in deliveries] == [(paid.id, "notify")]
