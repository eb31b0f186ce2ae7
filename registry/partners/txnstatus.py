"""`txn/status`: what became of a partner's own earlier messages (never anyone else's)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.partners.clients import partner_origin
from registry.partners.envelope import EnvelopeError, timestamp
from registry.partners.models import PartnerClient, PartnerTransaction


def status(session: Session, client: PartnerClient, message: dict[str, Any]) -> dict[str, Any]:
    request = message.get("txnstatus_request")
    if not isinstance(request, dict):
        raise EnvelopeError("err.request.bad", "message.txnstatus_request is an object")
    kind, value = request.get("attribute_type"), request.get("attribute_value")
    stmt = select(PartnerTransaction).where(PartnerTransaction.client_id == client.id)
    if kind == "transaction_id":
        stmt = stmt.where(PartnerTransaction.transaction_id == str(value))
    elif kind == "correlation_id":
        stmt = stmt.where(PartnerTransaction.correlation_id == str(value))
    elif kind == "reference_id_list" and isinstance(value, list):
        wanted = {str(v) for v in value}
        rows = [t for t in session.scalars(stmt) if wanted & set(t.reference_ids)]
        stmt = stmt.where(PartnerTransaction.id.in_([t.id for t in rows] or [0]))
    else:
        raise EnvelopeError(
            "err.request.bad", "attribute_type: transaction_id, correlation_id, reference_id_list"
        )
    found = session.scalars(stmt.order_by(PartnerTransaction.id).limit(50)).all()
    record(
        session,
        partner_origin(client),
        "partner.txn_status",
        target_type="partner",
        target_id=client.client_id,
        details={"purpose": client.purpose, "found": len(found)},
    )
    return {
        "transaction_id": str(message.get("transaction_id", "")),
        "correlation_id": found[-1].correlation_id if found else "",
        "txnstatus_response": {
            "txn_type": str(request.get("txn_type", "search")),
            "txn_status": [
                {
                    "transaction_id": t.transaction_id,
                    "correlation_id": t.correlation_id,
                    "action": t.action,
                    "status": t.status,
                    "reference_ids": t.reference_ids,
                    "received": timestamp(t.created_at),
                    "completed": timestamp(t.completed_at) if t.completed_at else None,
                }
                for t in found
            ],
        },
    }
