"""What other systems hear of a payment: a PAYMENT registry event for partner subscriptions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry.partners.events import RegistryEvent, emit


def note_payment(
    session: Session, household_id: int, entitlement_id: int, status: str, program_id: int | None
) -> None:
    """Notes that an entitlement was paid (in full or in part); the partner notifications are
    written when the transaction commits, once per subscription and payment status."""
    emit(
        session,
        RegistryEvent("PAYMENT", household_id, f"payment:{entitlement_id}:{status}", program_id),
    )
