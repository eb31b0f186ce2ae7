"""Paying an approved cash cycle by mobile money through Africa's Talking (mobile B2C).

The client is built on the `africastalking` SDK's own `Service` class (its HTTP machinery,
headers and error handling); SDK 2.x no longer ships the payment service, so the B2C call
(`POST https://payments.africastalking.com/mobile/b2c/request`) is written here as SDK 1.2.3's
`PaymentService.mobile_b2c` wrote it.

A retry never pays twice: every batch is recorded as *submitted* (with its key) and committed
before the request goes out; a batch whose answer was lost is sent again with the same
`Idempotency-Key`, which the provider answers from its memory instead of paying again, and an
entitlement that has a provider transaction is never sent again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import requests
from africastalking.Service import AfricasTalkingException, Service
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict
from registry.i18n import N_
from registry.origin import Origin
from registry.payments.export import adjustments_of
from registry.payments.models import (
    CycleStatus,
    Entitlement,
    EntitlementStatus,
    PaymentCycle,
    PaymentEvent,
)
from registry.payments.notices import note_payment
from registry.payments.notify import tell_payments_sent
from registry.settings import Settings

TIMEOUT = (3.05, 30.0)
BATCH = 100
Checkpoint = Callable[[int, int], None]


class B2CService(Service):  # type: ignore[misc]
    """Africa's Talking payments API, mobile business-to-consumer transfers."""

    def _init_service(self) -> None:
        self._baseUrl = "https://payments." + (
            self._SANDBOX_DOMAIN if self._is_sandbox() else self._PRODUCTION_DOMAIN
        )

    def mobile_b2c(
        self,
        product_name: str,
        recipients: list[dict[str, Any]],
        *,
        idempotency_key: str,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> Any:
        headers = dict(self._headers)
        headers["Content-Type"] = "application/json"
        headers["Idempotency-Key"] = idempotency_key
        data = json.dumps(
            {"username": self._username, "productName": product_name, "recipients": recipients}
        )
        url = self._make_url("/mobile/b2c/request")
        return self._make_request(
            url, "POST", headers=headers, data=data, params=None, timeout=timeout
        )


def client_from_settings(settings: Settings) -> tuple[B2CService, str]:
    if not (settings.at_username and settings.at_api_key and settings.at_payment_product):
        raise Conflict(
            N_("Mobile money is not configured (AT_USERNAME, AT_API_KEY, AT_PAYMENT_PRODUCT).")
        )
    client = B2CService(settings.at_username, settings.at_api_key)
    base = os.environ.get("KINGA_AT_PAYMENTS_API_URL")
    if base:  # tests and benchmarks point the SDK at a local fake API
        client._baseUrl = base.rstrip("/")
    return client, settings.at_payment_product


@dataclass
class PayResult:
    submitted: int = 0
    accepted: int = 0
    refused: int = 0
    no_phone: int = 0
    unanswered: int = 0  # batches whose answer was lost; sent again on the next run
    errors: list[str] = field(default_factory=list)


def _batch_key(cycle_id: int, references: list[str]) -> str:
    return hashlib.sha256(f"{cycle_id}:{','.join(references)}".encode()).hexdigest()


def _recipient(entitlement: Entitlement, amount: Decimal) -> dict[str, Any]:
    return {
        "name": entitlement.payee_name[:60],
        "phoneNumber": entitlement.payee_phone,
        "currencyCode": entitlement.currency,
        "amount": f"{amount:.2f}",
        "reason": "PromotionPayment",
        "metadata": {"reference": entitlement.reference, "cycle": str(entitlement.cycle_id)},
    }


def _apply_answer(
    session: Session, batch: list[Entitlement], answer: Any, result: PayResult
) -> None:
    if isinstance(answer, str):
        try:
            answer = json.loads(answer)
        except ValueError:
            answer = {}
    entries = answer.get("entries") if isinstance(answer, dict) else None
    if not isinstance(entries, list) or len(entries) != len(batch):
        result.unanswered += 1
        result.errors.append("answer without one entry per recipient")
        return
    for entitlement, entry in zip(batch, entries, strict=True):
        transaction = str(entry.get("transactionId") or "")
        if entry.get("status") == "Queued" and transaction:
            entitlement.status = EntitlementStatus.SENT
            entitlement.transaction_id = transaction[:80]
            result.accepted += 1
            detail = transaction
        else:
            entitlement.status = EntitlementStatus.FAILED
            entitlement.failure = str(entry.get("errorMessage") or entry.get("status"))[:250]
            result.refused += 1
            detail = entitlement.failure
        session.add(
            PaymentEvent(
                entitlement_id=entitlement.id,
                kind="provider",
                status=entitlement.status,
                detail=detail[:250],
            )
        )


def _send(
    session: Session,
    client: B2CService,
    product: str,
    batch: list[Entitlement],
    adjustments: dict[int, Decimal],
    result: PayResult,
) -> bool:
    """Sends one recorded batch; False when the answer was lost (the batch stays submitted)."""
    recipients = [_recipient(e, e.amount + adjustments.get(e.id, Decimal(0))) for e in batch]
    try:
        answer = client.mobile_b2c(product, recipients, idempotency_key=batch[0].batch_key)
    except (AfricasTalkingException, requests.RequestException) as exc:
        result.unanswered += 1
        result.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        return False
    _apply_answer(session, batch, answer, result)
    session.flush()
    tell_payments_sent(session, batch[0].cycle, batch, today=date.today(), adjustments=adjustments)
    return True


def pay_cycle(
    session: Session,
    cycle: PaymentCycle,
    client: B2CService,
    product: str,
    *,
    origin: Origin,
    batch_size: int = BATCH,
    checkpoint: Checkpoint,
) -> PayResult:
    """Sends every unpaid entitlement of an approved cash cycle; safe to run again.

    `checkpoint(done, total)` must commit: it is called after each batch is recorded as
    submitted (before the request) and after its answer is applied.
    """
    if cycle.status != CycleStatus.APPROVED:
        raise Conflict(N_("Only an approved cycle can be paid."))
    if cycle.program.kind != "cash":
        raise Conflict(N_("Only a cash program is paid by mobile money."))
    result = PayResult()
    adjustments = adjustments_of(session, cycle.id)
    total = cycle.households
    # First, batches sent before whose answer never came back: the same batch, the same key.
    pending = list(
        session.scalars(
            select(Entitlement)
            .where(
                Entitlement.cycle_id == cycle.id,
                Entitlement.status == EntitlementStatus.SUBMITTED,
            )
            .order_by(Entitlement.batch_key, Entitlement.id)
        )
    )
    batches: dict[str, list[Entitlement]] = {}
    for entitlement in pending:
        batches.setdefault(entitlement.batch_key or "", []).append(entitlement)
    for batch in batches.values():
        if not _send(session, client, product, batch, adjustments, result):
            break
        checkpoint(result.accepted + result.refused, total)
    if result.unanswered:
        _audit(session, cycle, result, origin)
        return result
    last_id = 0
    while True:
        due = list(
            session.scalars(
                select(Entitlement)
                .where(
                    Entitlement.cycle_id == cycle.id,
                    Entitlement.status == EntitlementStatus.DUE,
                    Entitlement.id > last_id,
                )
                .order_by(Entitlement.id)
                .limit(batch_size)
            )
        )
        if not due:
            break
        last_id = due[-1].id
        batch = []
        for entitlement in due:
            owed = entitlement.amount + adjustments.get(entitlement.id, Decimal(0))
            if not entitlement.payee_phone:
                result.no_phone += 1
            elif owed > 0:
                batch.append(entitlement)
        if not batch:
            continue
        key = _batch_key(cycle.id, [e.reference for e in batch])
        for entitlement in batch:
            entitlement.status = EntitlementStatus.SUBMITTED
            entitlement.batch_key = key
            session.add(
                PaymentEvent(
                    entitlement_id=entitlement.id,
                    kind="submitted",
                    status=EntitlementStatus.SUBMITTED,
                    amount=entitlement.amount + adjustments.get(entitlement.id, Decimal(0)),
                    detail=key[:16],
                )
            )
        result.submitted += len(batch)
        session.flush()
        checkpoint(result.accepted + result.refused, total)  # recorded before it goes out
        if not _send(session, client, product, batch, adjustments, result):
            break
        checkpoint(result.accepted + result.refused, total)
    _audit(session, cycle, result, origin)
    return result


def _audit(session: Session, cycle: PaymentCycle, result: PayResult, origin: Origin) -> None:
    record(
        session,
        origin,
        "payments.mobile_money",
        target_type="payment_cycle",
        target_id=cycle.id,
        details={
            "submitted": result.submitted,
            "accepted": result.accepted,
            "refused": result.refused,
            "no_phone": result.no_phone,
            "unanswered": result.unanswered,
        },
    )


def parse_value(value: object) -> Decimal | None:
    """`"KES 1500.00"` -> Decimal("1500.00")."""
    text = str(value or "").strip().split(" ")[-1]
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def record_b2c_notification(session: Session, payload: dict[str, Any], *, origin: Origin) -> bool:
    """Applies Africa's Talking's payment notification; False when it names no payment of ours.

    The same notification twice changes nothing the second time.
    """
    transaction = str(payload.get("transactionId") or "")
    if not transaction or payload.get("category") not in (None, "MobileB2C"):
        return False
    entitlement = session.scalar(
        select(Entitlement).where(Entitlement.transaction_id == transaction[:80])
    )
    if entitlement is None:
        return False
    status = str(payload.get("status") or "")
    if entitlement.status in (EntitlementStatus.PAID, EntitlementStatus.PARTLY_PAID):
        return True  # settled (by an earlier notification or a reconciliation file)
    if status == "Success":
        amount = parse_value(payload.get("value"))
        if amount is None:
            return False
        owed = entitlement.amount + adjustments_of(session, entitlement.cycle_id).get(
            entitlement.id, Decimal(0)
        )
        entitlement.status = (
            EntitlementStatus.PAID if amount >= owed else EntitlementStatus.PARTLY_PAID
        )
        entitlement.paid_amount = amount
        entitlement.provider_reference = str(payload.get("providerRefId") or "")[:80] or None
        entitlement.paid_at = utcnow()
        program_id = session.scalar(
            select(PaymentCycle.program_id).where(PaymentCycle.id == entitlement.cycle_id)
        )
        note_payment(
            session, entitlement.household_id, entitlement.id, entitlement.status, program_id
        )
    elif status == "Failed":
        if entitlement.status == EntitlementStatus.FAILED:
            return True
        entitlement.status = EntitlementStatus.FAILED
        entitlement.failure = str(payload.get("description") or "failed")[:250]
    else:
        return True  # an intermediate status: nothing to record
    session.add(
        PaymentEvent(
            entitlement_id=entitlement.id,
            kind="callback",
            status=entitlement.status,
            amount=entitlement.paid_amount,
            detail=transaction[:80],
        )
    )
    session.flush()
    record(
        session,
        origin,
        "payments.provider_notification",
        target_type="entitlement",
        target_id=entitlement.reference,
        details={"status": entitlement.status, "transaction": transaction[:80]},
    )
    return True
