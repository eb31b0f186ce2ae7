"""Subscriptions to registry events, and async searches: both owe the partner a delivery."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.partners.clients import client_scope, partner_origin
from registry.partners.envelope import EnvelopeError, timestamp
from registry.partners.models import (
    PartnerClient,
    PartnerDelivery,
    PartnerSubscription,
    PartnerTransaction,
)
from registry.programs.models import Program

# DCI reg_event_type values Kinga emits, and what each means here.
EVENT_TYPES = {
    "REGISTER": "a household was registered",
    "ENROLL": "a household was enrolled in a program",
    "EXIT": "a household left a program",
    "PAYMENT": "a payment to a household was made",
}


def callback(client: PartnerClient, path: str) -> str:
    """Where a partner receives what Kinga sends: its registered base URL, never a header's."""
    if not client.callback_url:
        raise EnvelopeError("err.sender_uri.invalid", "no callback address in the agreement")
    return client.callback_url.rstrip("/") + path


def _filter(
    session: Session, client: PartnerClient, criteria: dict[str, Any]
) -> tuple[Area | None, str | None]:
    """The optional area and program a subscription is narrowed to (`filter` expression)."""
    area = program = None
    terms = criteria.get("filter") or {}
    try:
        if isinstance(terms, list):  # predicate form: [{"expression1": {...}}, ...]
            query = {
                t["expression1"]["attribute_name"]: t["expression1"]["attribute_value"]
                for t in terms
            }
        else:
            query = terms["value"]["expression"]["query"] if "value" in terms else terms
    except (KeyError, TypeError) as exc:
        raise ValueError("rjct.notify_details.invalid") from exc
    if isinstance(query, dict) and "$and" in query:
        query = {k: v for term in query["$and"] for k, v in term.items()}
    if not isinstance(query, dict):
        raise ValueError("rjct.notify_details.invalid")
    for name, test in query.items():
        value = test.get("$eq") if isinstance(test, dict) else test
        if name == "area":
            area = session.scalar(select(Area).where(Area.code == str(value)))
            if area is None or not client_scope(client).covers(area):
                raise ValueError("rjct.notify_details.invalid")
        elif name == "program":
            if session.scalar(select(Program.id).where(Program.code == str(value))) is None:
                raise ValueError("rjct.notify_details.invalid")
            program = str(value)
        else:
            raise ValueError("rjct.notify_details.invalid")
    return area, program


def subscribe(
    session: Session,
    client: PartnerClient,
    transaction: PartnerTransaction,
    message: dict[str, Any],
) -> dict[str, Any]:
    url = callback(client, "/registry/notify")
    answers = []
    for item in message["subscribe_request"]:
        reference = str(item.get("reference_id", "")) if isinstance(item, dict) else ""
        answer: dict[str, Any] = {"reference_id": reference, "timestamp": timestamp()}
        criteria = item.get("subscribe_criteria") if isinstance(item, dict) else None
        event = criteria.get("reg_event_type") if isinstance(criteria, dict) else None
        if event not in EVENT_TYPES:
            answer.update(
                status="rjct",
                status_reason_code="rjct.notify_types.invalid",
                status_reason_message="reg_event_type: " + ", ".join(EVENT_TYPES),
            )
            answers.append(answer)
            continue
        try:
            area, program = _filter(session, client, criteria)
        except ValueError as exc:
            answer.update(
                status="rjct",
                status_reason_code=str(exc),
                status_reason_message="filter: area (within the agreement), program",
            )
            answers.append(answer)
            continue
        subscription = PartnerSubscription(
            code="ks_" + secrets.token_hex(10),
            client_id=client.id,
            reference_id=reference[:100],
            event_types=[event],
            area_id=area.id if area else None,
            program_code=program,
            callback_url=url,
        )
        session.add(subscription)
        session.flush()
        answer.update(
            status="succ",
            subscriptions=[
                {
                    "code": subscription.code,
                    "status": "subscribe",
                    "timestamp": timestamp(),
                    "reg_event_type": event,
                }
            ],
        )
        answers.append(answer)
    transaction.status = "succ" if any(a["status"] == "succ" for a in answers) else "rjct"
    record(
        session,
        partner_origin(client),
        "partner.subscribe",
        target_type="partner",
        target_id=client.client_id,
        details={
            "purpose": client.purpose,
            "correlation_id": transaction.correlation_id,
            "subscriptions": sum(a["status"] == "succ" for a in answers),
        },
    )
    return {
        "transaction_id": transaction.transaction_id,
        "correlation_id": transaction.correlation_id,
        "subscribe_response": answers,
    }


def unsubscribe(session: Session, client: PartnerClient, message: dict[str, Any]) -> dict[str, Any]:
    codes = message.get("subscription_codes")
    if not isinstance(codes, list) or not codes or len(codes) > 100:
        raise EnvelopeError("err.request.bad", "subscription_codes is a list of 1 to 100 codes")
    found = session.scalars(
        select(PartnerSubscription).where(
            PartnerSubscription.client_id == client.id,
            PartnerSubscription.code.in_([str(c) for c in codes]),
        )
    ).all()
    for subscription in found:
        subscription.active = False
    record(
        session,
        partner_origin(client),
        "partner.unsubscribe",
        target_type="partner",
        target_id=client.client_id,
        details={"purpose": client.purpose, "count": len(found)},
    )
    session.flush()
    return {
        "transaction_id": str(message.get("transaction_id", "")),
        "correlation_id": "",
        "timestamp": timestamp(),
        "status": "succ" if found else "rjct",
        "subscription_status": [{"code": s.code, "status": "unsubscribe"} for s in found],
    }


def queue_async_search(
    session: Session,
    client: PartnerClient,
    transaction: PartnerTransaction,
    message: dict[str, Any],
) -> PartnerDelivery:
    """The answer is computed and posted to the partner's on-search by a `partners.deliver` job."""
    transaction.status = "pdng"
    transaction.request = message
    delivery = PartnerDelivery(
        reference=f"on-search:{transaction.correlation_id}",
        client_id=client.id,
        kind="on-search",
        url=callback(client, "/registry/on-search"),
        transaction_id=transaction.id,
    )
    session.add(delivery)
    record(
        session,
        partner_origin(client),
        "partner.search_async",
        target_type="partner",
        target_id=client.client_id,
        details={"purpose": client.purpose, "correlation_id": transaction.correlation_id},
    )
    session.flush()
    from registry.partners.jobs import submit_delivery  # the job module imports this one

    submit_delivery(session, [delivery])
    return delivery
