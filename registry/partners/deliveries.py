"""Sending what partners are owed (notifications, async search answers), after commit.

Each delivery is rendered when sent, so it carries only what the agreement allows at that
moment, signed with Kinga's message key, posted to the partner's registered callback, and each
try is recorded. A failure is retried with exponential backoff; after the last try the delivery
is `failed`. Its DCI `message_id` is stable across tries, so a partner can drop repeats.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.db import is_postgresql, utcnow
from registry.households.models import Household
from registry.partners.clients import client_scope, is_usable
from registry.partners.envelope import seal, timestamp
from registry.partners.models import (
    DeliveryStatus,
    PartnerDelivery,
    PartnerDeliveryAttempt,
    PartnerSubscription,
    PartnerTransaction,
)
from registry.partners.queries import shareable
from registry.partners.records import group_records
from registry.partners.search import answer_item

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
TIMEOUT = 10

Post = Callable[[str, dict[str, Any]], int]


def http_post(url: str, body: dict[str, Any]) -> int:
    response = requests.post(url, json=body, timeout=TIMEOUT, allow_redirects=False)
    return response.status_code


def backoff(attempts: int) -> timedelta:
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def _message_id(delivery: PartnerDelivery) -> str:
    return hashlib.sha256(delivery.reference.encode()).hexdigest()[:32]


def _notify_body(session: Session, delivery: PartnerDelivery) -> dict[str, Any] | None:
    client = delivery.client
    subscription = session.get(PartnerSubscription, delivery.subscription_id or 0)
    household = session.get(Household, delivery.household_id or 0)
    if subscription is None or not subscription.active or household is None:
        return None
    visible = shareable(client_scope(client)).where(Household.id == household.id)
    if session.scalar(visible) is None:  # consent withdrawn, erased, or out of its areas
        return None
    message = {
        "transaction_id": delivery.reference[:99],
        "notify_event": [
            {
                "reference_id": subscription.reference_id or subscription.code,
                "timestamp": timestamp(delivery.occurred_at),
                "data": {
                    "version": "1.0.0",
                    "reg_type": "SocialRegistry",
                    "reg_event_type": delivery.event_type,
                    "subscription_code": subscription.code,
                    "reg_record_type": "Group",
                    # registry_core: one record (an object) per notify_event
                    "reg_records": group_records(session, [household], client.fields)[0],
                },
            }
        ],
    }
    return seal("notify", message, receiver_id=client.client_id, message_id=_message_id(delivery))


def _on_search_body(session: Session, delivery: PartnerDelivery) -> dict[str, Any] | None:
    transaction = session.get(PartnerTransaction, delivery.transaction_id or 0)
    if transaction is None or transaction.request is None:
        return None
    client = delivery.client
    answers = [answer_item(session, client, i) for i in transaction.request["search_request"]]
    transaction.status = "succ" if any(a["status"] == "succ" for a in answers) else "rjct"
    transaction.completed_at = utcnow()
    message = {
        "transaction_id": transaction.transaction_id,
        "correlation_id": transaction.correlation_id,
        "search_response": answers,
    }
    return seal(
        "on-search",
        message,
        receiver_id=client.client_id,
        status=transaction.status,
        total=len(answers),
        message_id=_message_id(delivery),
    )


def _due(session: Session, now: datetime, limit: int) -> list[PartnerDelivery]:
    stmt = (
        select(PartnerDelivery)
        .where(
            PartnerDelivery.status == DeliveryStatus.QUEUED,
            PartnerDelivery.next_attempt_at <= now,
        )
        .order_by(PartnerDelivery.id)
        .limit(limit)
    )
    if is_postgresql(session):
        stmt = stmt.with_for_update(skip_locked=True, of=PartnerDelivery)
    return list(session.scalars(stmt))


def deliver_one(session: Session, delivery: PartnerDelivery, post: Post, now: datetime) -> str:
    if not is_usable(delivery.client):
        delivery.status = DeliveryStatus.CANCELLED
        delivery.last_error = "agreement suspended or expired"
        return delivery.status
    render = _notify_body if delivery.kind == "notify" else _on_search_body
    body = render(session, delivery)
    if body is None:
        delivery.status = DeliveryStatus.CANCELLED
        delivery.last_error = "nothing the agreement still allows to send"
        return delivery.status
    delivery.attempts += 1
    code: int | None = None
    error: str | None = None
    try:
        code = post(delivery.url, body)
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except requests.RequestException as exc:
        error = type(exc).__name__
    session.add(
        PartnerDeliveryAttempt(
            delivery_id=delivery.id,
            at=now,
            status_code=code,
            error=error,
            message_id=body["header"]["message_id"],
        )
    )
    delivery.last_status_code = code
    delivery.last_error = error
    if error is None:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    return delivery.status


def deliver_due(
    factory: sessionmaker[Session],
    *,
    post: Post = http_post,
    now: datetime | None = None,
    limit: int = 50,
) -> dict[str, int]:
    """Sends every due delivery once; each in its own transaction. Returns counts by outcome."""
    counts: dict[str, int] = {}
    moment = now or utcnow()
    with factory() as session:
        ids = [d.id for d in _due(session, moment, limit)]
        session.rollback()
    for delivery_id in ids:
        with factory() as session:
            stmt = select(PartnerDelivery).where(
                PartnerDelivery.id == delivery_id,
                PartnerDelivery.status == DeliveryStatus.QUEUED,
            )
            if is_postgresql(session):
                stmt = stmt.with_for_update(skip_locked=True, of=PartnerDelivery)
            delivery = session.scalar(stmt)
            if delivery is None:
                continue
            outcome = deliver_one(session, delivery, post, moment)
            session.commit()
            counts[outcome] = counts.get(outcome, 0) + 1
            log.info("partner delivery %s: %s", delivery_id, outcome)
    return counts
