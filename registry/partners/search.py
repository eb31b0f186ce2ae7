"""DCI search: one request message, each item answered within the agreement (sync or async)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.partners.clients import client_scope, partner_origin
from registry.partners.envelope import MAX_BATCH, EnvelopeError, Incoming, timestamp
from registry.partners.models import PartnerClient, PartnerTransaction
from registry.partners.queries import BadQuery, criteria_condition, find_households
from registry.partners.records import group_records

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def new_correlation_id() -> str:
    return "kc_" + secrets.token_hex(12)


def start_transaction(
    session: Session, client: PartnerClient, incoming: Incoming, action: str, items_key: str
) -> PartnerTransaction:
    """Records the message; a message id seen before from this client is refused (replay)."""
    message = incoming.message
    transaction_id = message.get("transaction_id")
    items = message.get(items_key)
    if not isinstance(transaction_id, str | int) or not str(transaction_id):
        raise EnvelopeError("err.request.bad", "message.transaction_id is required")
    if not isinstance(items, list) or not 0 < len(items) <= MAX_BATCH:
        raise EnvelopeError("err.request.bad", f"message.{items_key} holds 1 to {MAX_BATCH} items")
    references = [str(i.get("reference_id", "")) if isinstance(i, dict) else "" for i in items]
    seen = select(PartnerTransaction.id).where(
        PartnerTransaction.client_id == client.id,
        PartnerTransaction.message_id == incoming.header["message_id"],
    )
    if session.scalar(seen) is not None:
        raise EnvelopeError("err.request.bad", "rjct.message_id.duplicate")
    transaction = PartnerTransaction(
        client_id=client.id,
        message_id=incoming.header["message_id"],
        transaction_id=str(transaction_id)[:100],
        correlation_id=new_correlation_id(),
        action=action,
        status="rcvd",
        reference_ids=references,
    )
    session.add(transaction)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise EnvelopeError("err.request.bad", "rjct.message_id.duplicate") from exc
    return transaction


def _page(criteria: dict[str, Any]) -> tuple[int, int]:
    pagination = criteria.get("pagination") or {}
    if not isinstance(pagination, dict):
        raise BadQuery("rjct.pagination.invalid", "pagination is an object")
    try:
        size = int(pagination.get("page_size", DEFAULT_PAGE_SIZE))
        number = int(pagination.get("page_number", 1))
    except (TypeError, ValueError) as exc:
        raise BadQuery("rjct.pagination.invalid", "page_size and page_number are numbers") from exc
    if not 1 <= size <= MAX_PAGE_SIZE or not 1 <= number <= 100_000:
        raise BadQuery("rjct.pagination.invalid", f"page_size is 1 to {MAX_PAGE_SIZE}")
    return size, number


def _newest_first(criteria: dict[str, Any]) -> bool:
    sort = criteria.get("sort") or []
    if not isinstance(sort, list):
        raise BadQuery("rjct.sort.invalid", "sort is a list")
    for item in sort:
        if not isinstance(item, dict) or item.get("attribute_name") not in (
            "registration_date",
            "household_number",
        ):
            raise BadQuery("rjct.sort.invalid", "sort by registration_date or household_number")
        return item.get("sort_order", "asc") == "desc"
    return False


def answer_item(session: Session, client: PartnerClient, item: Any) -> dict[str, Any]:
    """One `search_response` item: records (or a rejection) for one `search_request` item."""
    reference = str(item.get("reference_id", "")) if isinstance(item, dict) else ""
    answer: dict[str, Any] = {"reference_id": reference, "timestamp": timestamp()}
    try:
        criteria = item.get("search_criteria") if isinstance(item, dict) else None
        if not isinstance(criteria, dict):
            raise BadQuery("rjct.search_criteria.invalid", "search_criteria is an object")
        if criteria.get("response_entity", "Group") != "Group":
            raise BadQuery("rjct.search_criteria.invalid", "response_entity Group only")
        where = criteria_condition(str(criteria.get("query_type")), criteria.get("query"))
        size, number = _page(criteria)
        households, total = find_households(
            session,
            client_scope(client),
            where,
            page_size=size,
            page_number=number,
            newest_first=_newest_first(criteria),
        )
    except BadQuery as exc:
        answer.update(status="rjct", status_reason_code=exc.code, status_reason_message=str(exc))
        return answer
    answer.update(
        status="succ",
        data={
            "version": "1.0.0",
            "reg_type": "SocialRegistry",
            "reg_record_type": "Group",
            "reg_records": group_records(session, households, client.fields),
        },
        pagination={"page_size": size, "page_number": number, "total_count": total},
    )
    return answer


def run_search(
    session: Session,
    client: PartnerClient,
    transaction: PartnerTransaction,
    message: dict[str, Any],
) -> dict[str, Any]:
    """The SearchResponse for a search message; audits the call with client and purpose."""
    answers = [answer_item(session, client, item) for item in message["search_request"]]
    transaction.status = "succ" if any(a["status"] == "succ" for a in answers) else "rjct"
    transaction.completed_at = utcnow()
    record(
        session,
        partner_origin(client),
        "partner.search",
        target_type="partner",
        target_id=client.client_id,
        details={
            "purpose": client.purpose,
            "correlation_id": transaction.correlation_id,
            "items": len(answers),
            "records": sum(len(a.get("data", {}).get("reg_records", [])) for a in answers),
            "rejected": sum(a["status"] == "rjct" for a in answers),
        },
    )
    return {
        "transaction_id": transaction.transaction_id,
        "correlation_id": transaction.correlation_id,
        "search_response": answers,
    }
